// Asking the deployment again until something shows up (an index entry, a purge request), within a limit.

import type { CheckContext } from '../check/context.js';
import { formatDuration } from '../check/duration.js';

export interface PollOptions {
  /** Our clock when the limit starts counting. */
  sinceMs: number;
  limitMs: number;
  intervalMs: number;
}

export interface PollOutcome<T> {
  /** Undefined when the limit passed first. */
  value: T | undefined;
  /** Our clock when the value was seen, or when polling gave up. */
  atMs: number;
}

/** Calls `probe` every interval until it answers a value, or until the limit has passed (one last try at the limit). */
export async function pollUntil<T>(ctx: CheckContext<unknown>, options: PollOptions, probe: () => Promise<T | undefined>): Promise<PollOutcome<T>> {
  const giveUpAt = options.sinceMs + options.limitMs;
  for (;;) {
    const value = await probe();
    const now = ctx.clock.now();
    if (value !== undefined || now > giveUpAt) return { value, atMs: now };
    await ctx.sleep(Math.max(0, Math.min(options.intervalMs, giveUpAt - now + 1)));
  }
}

/** How long something took: "300ms", "1.3s", "61s" (tenths below 10 s, whole seconds above). */
export function formatElapsed(ms: number): string {
  const step = ms < 10_000 ? 100 : 1000;
  return formatDuration(Math.round(ms / step) * step);
}
