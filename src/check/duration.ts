// Durations are written with a unit ("30s", "5m", "2h", "1d", "250ms") everywhere a person types one.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds for a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/** A duration in the largest unit that keeps it whole: 90000 -> "90s", 120000 -> "2m". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

/**
 * How long something took or has lasted, for people, to the precision that matters at that length:
 * "840ms", "1.3s", "42s", "3m 10s", "10m", "2h 5m", "3d 4h".
 */
export function formatElapsed(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1000) return `${rounded}ms`;
  if (rounded < 10_000) return `${(Math.round(rounded / 100) / 10).toFixed(1)}s`;
  const seconds = Math.round(rounded / 1000);
  if (seconds < 60) return `${seconds}s`;
  const [d, h, m, s] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) => `${big}${bigUnit}${small > 0 ? ` ${small}${smallUnit}` : ''}`;
  if (d > 0) return pair(d, 'd', h, 'h');
  if (h > 0) return pair(h, 'h', m, 'm');
  return pair(m, 'm', s, 's');
}

/** A range a duration must fall in, inclusive, in milliseconds. */
export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

/**
 * The longest duration anything accepts (10 years): far longer and a start plus it leaves the range of a
 * JavaScript date (`RangeError: Invalid time value`).
 */
export const LONGEST_DURATION_MS = 3650 * UNIT_MS.d!;
/** Any duration the code can use: zero (where zero means "none") up to the longest. */
export const ANY_DURATION: DurationBounds = { minMs: 0, maxMs: LONGEST_DURATION_MS };
/** A positive duration: a limit (an SLA, a response time) of zero can never be met. */
export const POSITIVE_DURATION: DurationBounds = { minMs: 1, maxMs: LONGEST_DURATION_MS };
/** A time-out: under a second nothing can answer; over a day it no longer bounds anything (and timers overflow). */
export const TIMEOUT_DURATION: DurationBounds = { minMs: UNIT_MS.s!, maxMs: UNIT_MS.d! };

/** Why a duration (as written, and in ms) is outside its bounds, naming them; undefined when it is inside. */
export function durationBoundsProblem(written: string, ms: number, bounds: DurationBounds): string | undefined {
  if (ms >= bounds.minMs && ms <= bounds.maxMs) return undefined;
  const most = formatDuration(bounds.maxMs);
  const range = bounds.minMs === 0 ? `at most ${most}` : bounds.minMs === 1 ? `longer than 0 and at most ${most}` : `from ${formatDuration(bounds.minMs)} to ${most}`;
  return `expected a duration ${range}, got ${JSON.stringify(written)}`;
}
