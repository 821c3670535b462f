// Asking the deployment again until something shows up (an index entry, a purge request, a hook's fire),
// within a limit. The first asks come fast and the pace backs off to the interval (at most a second), so a
// quick answer is seen within tens of milliseconds and a slow one costs one request a second: the error of a
// measurement made this way is at most the interval in force when the answer came.

import type { CheckContext } from '../check/context.js';

/** A poll interval as configured: a duration in ms, or `auto` (each wait's own default). */
export type PollInterval = number | 'auto';

/** The slowest pace of these polls: an answer is seen at most a second after it appeared. */
export const MAX_POLL_INTERVAL_MS = 1_000;

export interface PollOptions {
  /** Our clock when the limit starts counting. */
  sinceMs: number;
  limitMs: number;
  /** The slowest pace, reached by doubling from FIRST_INTERVAL_MS; at most (and for `auto`) MAX_POLL_INTERVAL_MS. */
  intervalMs: PollInterval;
}

export interface PollOutcome<T> {
  /** Undefined when the limit passed first. */
  value: T | undefined;
  /** Our clock when the value was seen, or when polling gave up. */
  atMs: number;
}

const FIRST_INTERVAL_MS = 50;

/** Calls `probe` until it answers a value, or until the limit has passed (one last try at the limit). */
export async function pollUntil<T>(ctx: CheckContext<unknown>, options: PollOptions, probe: () => Promise<T | undefined>): Promise<PollOutcome<T>> {
  const giveUpAt = options.sinceMs + options.limitMs;
  const slowest = options.intervalMs === 'auto' ? MAX_POLL_INTERVAL_MS : Math.min(options.intervalMs, MAX_POLL_INTERVAL_MS);
  let interval = Math.min(FIRST_INTERVAL_MS, slowest);
  for (;;) {
    const value = await probe();
    const now = ctx.clock.now();
    if (value !== undefined || now > giveUpAt) return { value, atMs: now };
    await ctx.sleep(Math.max(0, Math.min(interval, giveUpAt - now + 1)));
    interval = Math.min(interval * 2, slowest);
  }
}
