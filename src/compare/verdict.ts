// The verdict on one metric, or one outcome rate, between a baseline version and a current one: a shift is
// `regressed` (or `improved`) only when the test says it is unlikely to be chance (p below `alpha`) *and* it is
// at least the minimum effect, so that noise and tiny real shifts are not called regressions. Every metric
// tc-canary records is higher-is-worse (latencies, lags, ages, counts of pending tasks or errors).

import { fisherExact, mannWhitney, percentileOf } from './statistics.js';

export type Verdict = 'regressed' | 'improved' | 'same' | 'not enough data';

export interface CompareSettings {
  /** A shift counts when the test's two-sided p is below this. */
  alpha: number;
  /** Samples each side needs for a verdict; with fewer it is `not enough data`. */
  minSamples: number;
  /** The smallest shift of the median that counts: relative (0.2 = 20 %) and, for times, absolute. */
  minEffect: { ratio: number; ms: number };
}

/**
 * 5 a side: the fewest with which the exact rank test can reach p < 0.01 (2/252 = 0.008 when the samples do not
 * overlap at all), and what `run --repeat 5` gives.
 */
export const DEFAULT_COMPARE_SETTINGS: CompareSettings = { alpha: 0.01, minSamples: 5, minEffect: { ratio: 0.2, ms: 10 } };

export interface Distribution {
  n: number;
  /** Absent when there are no values. */
  p50?: number;
  p95?: number;
}

export interface MetricComparison {
  metric: string;
  unit: string;
  baseline: Distribution;
  current: Distribution;
  /** current p50 / baseline p50; absent without data, or when the baseline p50 is 0. */
  ratio?: number;
  /** current p50 - baseline p50, in the metric's unit. */
  delta?: number;
  /** Mann-Whitney U, two-sided; absent without enough data. */
  p?: number;
  test?: 'mann-whitney-exact' | 'mann-whitney-normal';
  verdict: Verdict;
}

export const RATES = ['failed', 'error', 'flaky'] as const;
export type RateName = (typeof RATES)[number];

export interface RateSide {
  /** Results that had the outcome. */
  hits: number;
  /** Results it is a rate of: every counted (not skipped) result; for flaky, the passed and flaky ones. */
  total: number;
  /** hits / total; absent when total is 0. */
  rate?: number;
}

export interface RateComparison {
  rate: RateName;
  baseline: RateSide;
  current: RateSide;
  /** Fisher's exact test, two-sided; absent without enough data. */
  p?: number;
  verdict: Verdict;
}

function distribution(sorted: readonly number[]): Distribution {
  if (sorted.length === 0) return { n: 0 };
  return { n: sorted.length, p50: percentileOf(sorted, 50), p95: percentileOf(sorted, 95) };
}

/** The absolute part of the minimum effect, in the metric's unit: only times have one. */
function absoluteMinimum(unit: string, settings: CompareSettings): number {
  if (unit === 'ms') return settings.minEffect.ms;
  if (unit === 's') return settings.minEffect.ms / 1000;
  return 0;
}

export function compareValues(metric: string, unit: string, baseline: readonly number[], current: readonly number[], settings: CompareSettings): MetricComparison {
  const before = [...baseline].sort((a, b) => a - b);
  const after = [...current].sort((a, b) => a - b);
  const shape = { metric, unit, baseline: distribution(before), current: distribution(after) };
  if (before.length < settings.minSamples || after.length < settings.minSamples) return { ...shape, verdict: 'not enough data' };
  const from = shape.baseline.p50!;
  const to = shape.current.p50!;
  const delta = to - from;
  const ratio = from === 0 ? undefined : to / from;
  const test = mannWhitney(before, after);
  // A median that moves off 0 has shifted by any ratio.
  const relative = from === 0 ? (to === 0 ? 0 : Infinity) : Math.abs(delta) / from;
  const large = relative >= settings.minEffect.ratio && Math.abs(delta) >= absoluteMinimum(unit, settings);
  const verdict: Verdict = test.p < settings.alpha && large ? (delta > 0 ? 'regressed' : 'improved') : 'same';
  return { ...shape, ...(ratio !== undefined && { ratio }), delta, p: test.p, test: `mann-whitney-${test.method}`, verdict };
}

const side = (hits: number, total: number): RateSide => ({ hits, total, ...(total > 0 && { rate: hits / total }) });

export function compareRates(rate: RateName, baseline: { hits: number; total: number }, current: { hits: number; total: number }, settings: CompareSettings): RateComparison {
  const shape = { rate, baseline: side(baseline.hits, baseline.total), current: side(current.hits, current.total) };
  if (baseline.total < settings.minSamples || current.total < settings.minSamples) return { ...shape, verdict: 'not enough data' };
  const p = fisherExact(baseline, current);
  const shift = shape.current.rate! - shape.baseline.rate!;
  return { ...shape, p, verdict: p < settings.alpha ? (shift > 0 ? 'regressed' : 'improved') : 'same' };
}
