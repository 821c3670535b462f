// A "work strike": tasks wait in a pool's queue while the pool neither runs nor requests any capacity, and it
// stays so. One look cannot tell a strike from a provisioner that has not come round yet (it loops every
// ~10 s), so the verdict needs samples spanning a window. Once the check's earlier results in the history reach
// back a whole window, the samples are those plus one taken now, and the window is long (across runs: a strike
// after cloud-provider errors lasts, a slow provisioner iteration does not). Until then (a new history,
// `--no-history`, a one-shot run in CI), the run samples the pool itself over a short window.

import type { EarlierResult } from '../check/context.js';

export interface CapacitySample {
  atMs: number;
  pending: number;
  requested: number;
  running: number;
}

/** The metric names a sample is recorded under, so that later runs can read it back. */
export const SAMPLE_METRICS = { pending: 'pending', requested: 'requested_capacity', running: 'running_capacity' } as const;

/** Where the samples come from: this run's own, or the check's earlier results plus one now. */
export interface CapacityObserver {
  /** Samples over the observation window, oldest first; `take` measures the pool now. */
  observe(take: () => Promise<CapacitySample>): Promise<CapacitySample[]>;
  /** How long the samples must span before a strike is declared. */
  readonly windowMs: number;
}

export function isStriking(sample: CapacitySample): boolean {
  return sample.pending > 0 && sample.requested + sample.running === 0;
}

/**
 * Takes up to `samples` samples `intervalMs` apart within this run, stopping at the first one that shows
 * capacity or no pending work: a healthy pool costs one sample.
 */
export function observeWithinRun(options: { samples: number; intervalMs: number; sleep: (ms: number) => Promise<void> }): CapacityObserver {
  return {
    windowMs: (options.samples - 1) * options.intervalMs,
    async observe(take) {
      const taken: CapacitySample[] = [];
      for (let i = 0; i < options.samples; i += 1) {
        if (i > 0) await options.sleep(options.intervalMs);
        const sample = await take();
        taken.push(sample);
        if (!isStriking(sample)) break;
      }
      return taken;
    },
  };
}

/** The earlier runs' samples (oldest first) and one taken now, judged over `windowMs`. */
export function observeAcrossRuns(earlier: readonly CapacitySample[], windowMs: number): CapacityObserver {
  return {
    windowMs,
    async observe(take) {
      return [...earlier, await take()];
    },
  };
}

export interface ObserverChoice {
  observer: CapacityObserver;
  acrossRuns: boolean;
}

/** Across runs when the earlier samples reach back `acrossRunsWindowMs` from now; otherwise within this run. */
export function chooseObserver(earlier: readonly CapacitySample[], nowMs: number, acrossRunsWindowMs: number, withinRun: () => CapacityObserver): ObserverChoice {
  const oldest = earlier[0];
  return oldest !== undefined && oldest.atMs <= nowMs - acrossRunsWindowMs
    ? { observer: observeAcrossRuns(earlier, acrossRunsWindowMs), acrossRuns: true }
    : { observer: withinRun(), acrossRuns: false };
}

/** The samples earlier results recorded; results without them (skipped, errored before sampling) are left out. */
export function samplesOf(results: readonly EarlierResult[]): CapacitySample[] {
  return results.flatMap(({ startedAt, metrics }) => {
    const [pending, requested, running] = [metrics[SAMPLE_METRICS.pending], metrics[SAMPLE_METRICS.requested], metrics[SAMPLE_METRICS.running]];
    if (!pending || !requested || !running) return [];
    return [{ atMs: Date.parse(startedAt), pending: pending.value, requested: requested.value, running: running.value }];
  });
}

export interface WorkStrike {
  /** Pending tasks at the last sample. */
  pending: number;
  samples: number;
  spanMs: number;
}

/** A strike when the latest samples, back to the last one that showed capacity or no pending work, span `windowMs`. */
export function findWorkStrike(samples: readonly CapacitySample[], windowMs: number): WorkStrike | undefined {
  let start = samples.length;
  while (start > 0 && isStriking(samples[start - 1]!)) start -= 1;
  const streak = samples.slice(start);
  const first = streak[0];
  const last = streak.at(-1);
  if (!first || !last) return undefined;
  const spanMs = last.atMs - first.atMs;
  return spanMs >= windowMs ? { pending: last.pending, samples: streak.length, spanMs } : undefined;
}
