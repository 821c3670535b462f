// The one source of time, injectable so tests of schedules, SLAs and retention need no sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
