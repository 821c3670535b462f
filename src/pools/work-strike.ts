// A "work strike": tasks wait in a pool's queue while the pool neither runs nor requests any capacity, and it
// stays so. One look cannot tell a strike from a provisioner that has not come round yet (it loops every
// ~10 s), so every run watches the pool over a short window, stopping as soon as capacity shows. When the
// check's earlier results in the history sample the pool at least once per long window and reach back that far,
// the verdict is over the long window, across runs: a strike after cloud-provider errors lasts, one slow
// provisioner iteration does not. Otherwise (a new history, a sparse schedule, `--no-history`, a one-shot run
// in CI) the short window of this run decides.

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
  /** A longer gap between two samples breaks the streak: runs went missing and nobody looked in between. */
  readonly maxGapMs: number;
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
    // Its own samples are an interval apart, whatever each look takes.
    maxGapMs: Number.POSITIVE_INFINITY,
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

/** The earlier runs' samples (oldest first) and this run's own, judged over `windowMs`. */
function observeAcrossRuns(earlier: readonly CapacitySample[], windowMs: number, withinRun: CapacityObserver): CapacityObserver {
  return {
    windowMs,
    maxGapMs: windowMs,
    async observe(take) {
      return [...earlier, ...(await withinRun.observe(take))];
    },
  };
}

export interface ObserverChoice {
  observer: CapacityObserver;
  acrossRuns: boolean;
}

/**
 * Across runs when the earlier samples reach back `acrossRunsWindowMs` and the newest is no older than that (the
 * history keeps up with the window); otherwise this run's own observation decides.
 */
export function chooseObserver(earlier: readonly CapacitySample[], nowMs: number, acrossRunsWindowMs: number, withinRun: CapacityObserver): ObserverChoice {
  const oldest = earlier[0];
  const newest = earlier.at(-1);
  const keepsUp = oldest !== undefined && newest !== undefined && oldest.atMs <= nowMs - acrossRunsWindowMs && newest.atMs >= nowMs - acrossRunsWindowMs;
  return keepsUp
    ? { observer: observeAcrossRuns(earlier, acrossRunsWindowMs, withinRun), acrossRuns: true }
    : { observer: withinRun, acrossRuns: false };
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

/**
 * A strike when the latest samples span the observer's window, back to the last one that showed capacity or no
 * pending work, or to a gap longer than its `maxGapMs` (runs missing: the streak starts again).
 */
export function findWorkStrike(samples: readonly CapacitySample[], { windowMs, maxGapMs }: Pick<CapacityObserver, 'windowMs' | 'maxGapMs'>): WorkStrike | undefined {
  let start = samples.length;
  const continues = (i: number) => isStriking(samples[i]!) && (i === samples.length - 1 || samples[i + 1]!.atMs - samples[i]!.atMs <= maxGapMs);
  while (start > 0 && continues(start - 1)) start -= 1;
  const streak = samples.slice(start);
  const first = streak[0];
  const last = streak.at(-1);
  if (!first || !last) return undefined;
  const spanMs = last.atMs - first.atMs;
  return spanMs >= windowMs ? { pending: last.pending, samples: streak.length, spanMs } : undefined;
}
