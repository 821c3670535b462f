// A "work strike": tasks wait in a pool's queue while the provisioner adds no capacity for them, and it stays
// so: the pool neither runs nor requests any capacity, or (the pool's maxCapacity known) it stays below that
// maximum with nothing requested while more work waits than its idle workers can take. That is worker-manager's
// own estimate of what to provision, seen from outside. One look cannot tell a strike from a provisioner that
// has not come round yet (it loops every ~10 s), so every run watches the pool over a short window, stopping as
// soon as it sees capacity coming. When the check's earlier results in the history sample the pool at least
// once per long window and reach back that far, the verdict is over the long window, across runs: a strike
// after cloud-provider errors lasts, one slow provisioner iteration does not. Otherwise (a new history, a
// sparse schedule, `--no-history`, a one-shot run in CI) the short window of this run decides.

import type { EarlierResult } from '../check/context.js';

export interface CapacitySample {
  atMs: number;
  pending: number;
  /** Tasks being run; absent on deployments without queue.taskQueueCounts. */
  claimed?: number;
  requested: number;
  running: number;
}

/** The metric names a sample is recorded under, so that later runs can read it back. */
export const SAMPLE_METRICS = { pending: 'pending', claimed: 'claimed', requested: 'requested_capacity', running: 'running_capacity' } as const;

/** Where the samples come from: this run's own, or the check's earlier results plus one now. */
export interface CapacityObserver {
  /** Samples over the observation window, oldest first; `take` measures the pool now. */
  observe(take: () => Promise<CapacitySample>): Promise<CapacitySample[]>;
  /** How long the samples must span before a strike is declared. */
  readonly windowMs: number;
  /** A longer gap between two samples breaks the streak: runs went missing and nobody looked in between. */
  readonly maxGapMs: number;
  /** Whether a sample shows the pool on strike. */
  readonly isStriking: StrikeRule;
}

export type StrikeRule = (sample: CapacitySample) => boolean;

/**
 * A sample is on strike when nothing is requested, and work waits that no capacity is there for: no capacity at
 * all, or, below the pool's `maxCapacity`, more pending tasks than idle capacity (running capacity not busy
 * with claimed tasks; all of it when the claimed count is unknown), as worker-manager's estimator reckons.
 */
export function strikeRule(maxCapacity: number | undefined): StrikeRule {
  return ({ pending, claimed, requested, running }) => {
    if (pending === 0 || requested > 0) return false;
    if (running === 0) return true;
    const idle = Math.max(0, running - (claimed ?? 0));
    return maxCapacity !== undefined && running < maxCapacity && pending > idle;
  };
}

/**
 * Takes up to `samples` samples `intervalMs` apart within this run, stopping at the first one that shows
 * capacity or no pending work: a healthy pool costs one sample.
 */
export function observeWithinRun(options: { samples: number; intervalMs: number; isStriking: StrikeRule; sleep: (ms: number) => Promise<void> }): CapacityObserver {
  const { isStriking } = options;
  return {
    isStriking,
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
    isStriking: withinRun.isStriking,
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
    const [pending, claimed, requested, running] = [SAMPLE_METRICS.pending, SAMPLE_METRICS.claimed, SAMPLE_METRICS.requested, SAMPLE_METRICS.running].map((name) => metrics[name]);
    if (!pending || !requested || !running) return [];
    return [{ atMs: Date.parse(startedAt), pending: pending.value, ...(claimed ? { claimed: claimed.value } : {}), requested: requested.value, running: running.value }];
  });
}

export interface WorkStrike {
  /** The last sample of the streak: what the pool looks like now. */
  latest: CapacitySample;
  samples: number;
  spanMs: number;
}

/**
 * A strike when the latest samples span the observer's window, back to the last one that was not on strike, or
 * to a gap longer than its `maxGapMs` (runs missing: the streak starts again).
 */
export function findWorkStrike(samples: readonly CapacitySample[], { windowMs, maxGapMs, isStriking }: Pick<CapacityObserver, 'windowMs' | 'maxGapMs' | 'isStriking'>): WorkStrike | undefined {
  let start = samples.length;
  const continues = (i: number) => isStriking(samples[i]!) && (i === samples.length - 1 || samples[i + 1]!.atMs - samples[i]!.atMs <= maxGapMs);
  while (start > 0 && continues(start - 1)) start -= 1;
  const streak = samples.slice(start);
  const first = streak[0];
  const latest = streak.at(-1);
  if (!first || !latest) return undefined;
  const spanMs = latest.atMs - first.atMs;
  return spanMs >= windowMs ? { latest, samples: streak.length, spanMs } : undefined;
}

/** What the pool looked like during the strike, in the words an operator reads in the report. */
export function describeWorkStrike(taskQueueId: string, { latest, samples, spanMs }: WorkStrike, options: { maxCapacity: number | undefined; acrossRuns: boolean; duration: (ms: number) => string }): string {
  const over = `over ${options.duration(spanMs)} (${samples} samples${options.acrossRuns ? ' across runs' : ''})`;
  if (latest.running === 0) return `work strike on ${taskQueueId}: ${latest.pending} tasks pending while requested and running capacity stayed 0 ${over}`;
  const busy = latest.claimed === undefined ? '' : `, ${latest.claimed} claimed`;
  return `work strike on ${taskQueueId}: ${latest.pending} tasks pending (running capacity ${latest.running}${busy}) while capacity did not grow toward maxCapacity ${options.maxCapacity} and nothing was requested ${over}`;
}
