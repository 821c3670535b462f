// The two tests a comparison of versions makes, on plain numbers.
//
// Values (latencies, lags, counts): the Mann-Whitney U test, two-sided. It compares whole samples by rank, so
// it needs no assumption about the shape of a latency distribution (long right tails, a few outliers) and
// works on the handful of samples a `run --repeat 5` gives. With both samples of at most EXACT_MAX values, p is
// exact: the permutation distribution of the rank sum, ties included (they get their mean rank; latencies
// rounded to whole milliseconds tie often), counted rather than approximated. With 5 values a side the smallest
// possible p is 2/252 = 0.008, which the normal approximation misstates (it says 0.011 for two tied samples
// that do not overlap). Larger samples use the normal approximation with the tie correction of the variance
// and a continuity correction, accurate at those sizes.
//
// Outcome rates (failed, error, flaky): Fisher's exact test on the 2x2 table, two-sided, summing the
// probabilities of every table with the same margins that is at most as likely as the one observed.

/** Both samples at most this long: the exact distribution of U; else the normal approximation. */
export const EXACT_MAX = 30;

export interface RankTest {
  /** U of the second sample: how many (first, second) pairs have the second value greater (ties count one half). */
  u: number;
  /** Two-sided. */
  p: number;
  method: 'exact' | 'normal';
}

/** Mann-Whitney U of `current` against `baseline`, two-sided. Both samples must be non-empty. */
export function mannWhitney(baseline: readonly number[], current: readonly number[]): RankTest {
  const m = baseline.length;
  const n = current.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitney needs at least one value on each side');
  const pooled = [...baseline.map((value) => ({ value, current: false })), ...current.map((value) => ({ value, current: true }))]
    .sort((a, b) => a.value - b.value);
  // Twice each value's mean rank: whole numbers, ties included.
  const doubledRanks: number[] = [];
  let doubledRankSumCurrent = 0;
  // Sum over tie groups of (t^3 - t), for the variance's tie correction.
  let tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]!.value === pooled[start]!.value) end++;
    const size = end - start + 1;
    const doubledMidRank = start + end + 2;
    for (let i = start; i <= end; i++) {
      doubledRanks.push(doubledMidRank);
      if (pooled[i]!.current) doubledRankSumCurrent += doubledMidRank;
    }
    tieTerm += size ** 3 - size;
    start = end + 1;
  }
  const u = doubledRankSumCurrent / 2 - (n * (n + 1)) / 2;
  if (m <= EXACT_MAX && n <= EXACT_MAX) return { u, p: exactTwoSided(doubledRanks, n, doubledRankSumCurrent), method: 'exact' };

  const mean = (m * n) / 2;
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value equal: nothing tells the samples apart.
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal' };
}

/**
 * The share of the ways to pick n of the pooled values whose rank sum lies at least as far from its mean as
 * the observed one: ways[k][s] counts the picks of k values (among those seen so far) with doubled rank sum s.
 */
function exactTwoSided(doubledRanks: readonly number[], n: number, observed: number): number {
  const maxSum = doubledRanks.reduce((sum, rank) => sum + rank, 0);
  const ways = Array.from({ length: n + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  for (const rank of doubledRanks) {
    for (let k = n; k >= 1; k--) {
      const into = ways[k]!;
      const from = ways[k - 1]!;
      for (let s = maxSum; s >= rank; s--) into[s]! += from[s - rank]!;
    }
  }
  const mean = (n * maxSum) / doubledRanks.length;
  const distance = Math.abs(observed - mean);
  let extreme = 0;
  let all = 0;
  ways[n]!.forEach((count, sum) => {
    all += count;
    if (Math.abs(sum - mean) >= distance - 1e-9) extreme += count;
  });
  return Math.min(1, extreme / all);
}

/** P(Z > z) of the standard normal, from erfc (Numerical Recipes' Chebyshev fit, error below 1.2e-7). */
function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return erfc / 2;
}

/** How often something happened (`hits`) among `total` results. */
export interface Tally {
  hits: number;
  total: number;
}

/** Fisher's exact test, two-sided: whether the rate of hits differs between the two sides. */
export function fisherExact(baseline: Tally, current: Tally): number {
  const hits = baseline.hits + current.hits;
  const total = baseline.total + current.total;
  if (hits === 0 || hits === total) return 1;
  const logFactorials = [0];
  for (let k = 1; k <= total; k++) logFactorials.push(logFactorials[k - 1]! + Math.log(k));
  const logChoose = (a: number, b: number) => logFactorials[a]! - logFactorials[b]! - logFactorials[a - b]!;
  // Probability that the current side holds k of the hits, margins fixed (hypergeometric).
  const probability = (k: number) => Math.exp(logChoose(current.total, k) + logChoose(baseline.total, hits - k) - logChoose(total, hits));
  const observed = probability(current.hits);
  let p = 0;
  for (let k = Math.max(0, hits - baseline.total); k <= Math.min(hits, current.total); k++) {
    const pk = probability(k);
    // The relative tolerance keeps tables exactly as likely as the observed one despite rounding.
    if (pk <= observed * (1 + 1e-7)) p += pk;
  }
  return Math.min(1, p);
}

/** Nearest-rank percentile (p in 0..100) of ascending values, as the history's summaries read them. */
export function percentileOf(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
