// A "work strike": tasks wait in a pool's queue while the provisioner adds no capacity for them, and it stays
// so. One look cannot tell a strike from a provisioner that has not come round yet (it loops every ~10 s), so
// every run watches the pool over a short window, stopping as soon as it sees capacity coming; within that
// window only a pool with no capacity at all counts, since a burst of tasks just before a slow provisioner loop
// looks like capacity that does not grow. When the check's earlier results in the history sample the pool at
// least once per long window and reach back that far, the verdict is over the long window, across runs, and
// also counts capacity that does not grow: a strike after cloud-provider errors lasts, one slow provisioner
// iteration does not. Otherwise (a new history, a sparse schedule, `--no-history`, a one-shot run in CI) the
// short window of this run decides.

import type { CapacitySample } from './capacity-sample.js';
import { noCapacityRule, noGrowthRule, type StrikeRule } from './strike-rules.js';
import { formatElapsed } from '../check/duration.js';

/** Where the samples come from: this run's own, or the check's earlier results plus this run's. */
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

export interface WithinRunOptions {
  samples: number;
  intervalMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Takes up to `samples` samples `intervalMs` apart within this run, stopping at the first one that is not on
 * strike by `isStriking`: a healthy pool costs one sample.
 */
export function observeWithinRun(options: WithinRunOptions, isStriking: StrikeRule): CapacityObserver {
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
 * Across runs, counting capacity that does not grow, when the earlier samples reach back `acrossRunsWindowMs`
 * and the newest is no older than that (the history keeps up with the window); otherwise this run's own
 * observation decides, counting only a pool with no capacity at all.
 */
export function chooseObserver(earlier: readonly CapacitySample[], nowMs: number, acrossRunsWindowMs: number, withinRun: WithinRunOptions): ObserverChoice {
  const oldest = earlier[0];
  const newest = earlier.at(-1);
  const keepsUp = oldest !== undefined && newest !== undefined && oldest.atMs <= nowMs - acrossRunsWindowMs && newest.atMs >= nowMs - acrossRunsWindowMs;
  return keepsUp
    ? { observer: observeAcrossRuns(earlier, acrossRunsWindowMs, observeWithinRun(withinRun, noGrowthRule)), acrossRuns: true }
    : { observer: observeWithinRun(withinRun, noCapacityRule), acrossRuns: false };
}

export interface WorkStrike {
  /** The last sample of the streak: what the pool looks like now. */
  latest: CapacitySample;
  samples: number;
  spanMs: number;
  /** Whether the pool had no running capacity in any sample of the streak. */
  noCapacityThroughout: boolean;
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
  if (spanMs < windowMs) return undefined;
  return { latest, samples: streak.length, spanMs, noCapacityThroughout: streak.every((sample) => sample.running === 0) };
}

/** What the pool looked like during the strike, in the words an operator reads in the report. */
export function describeWorkStrike(taskQueueId: string, strike: WorkStrike, acrossRuns: boolean): string {
  const { latest } = strike;
  const over = `over ${formatElapsed(strike.spanMs)} (${strike.samples} samples${acrossRuns ? ' across runs' : ''})`;
  const stopping = latest.stopping ? `${latest.stopping} stopping` : undefined;
  if (strike.noCapacityThroughout) {
    return `work strike on ${taskQueueId}: ${latest.pending} tasks pending while requested and running capacity stayed 0${stopping ? ` (${stopping})` : ''} ${over}`;
  }
  const capacity = [`running capacity ${latest.running}`, ...(latest.claimed === undefined ? [] : [`${latest.claimed} claimed`]), ...(stopping ? [stopping] : [])];
  const toward = latest.maxCapacity === undefined ? '' : ` toward maxCapacity ${latest.maxCapacity}`;
  return `work strike on ${taskQueueId}: ${latest.pending} tasks pending (${capacity.join(', ')}) while capacity did not grow${toward} and nothing was requested ${over}`;
}
