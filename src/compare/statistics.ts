// The two tests a comparison of versions makes, on plain numbers.
//
// Values (latencies, lags, counts): the Mann-Whitney U test, two-sided. It compares whole samples by rank, so
// it needs no assumption about the shape of a latency distribution (long right tails, a few outliers) and
// works on the handful of samples a `run --repeat 5` gives. Without ties and with both samples of at most
// EXACT_MAX values, p comes from the exact distribution of U (counted, not approximated): with 5 values a side
// the smallest possible p is 2/252 = 0.008, which the normal approximation would misstate. Otherwise (ties, as
// integer counts have, or larger samples) from the normal approximation with the tie correction of the
// variance and a continuity correction, accurate at those sizes.
//
// Outcome rates (failed, error, flaky): Fisher's exact test on the 2x2 table, two-sided, summing the
// probabilities of every table with the same margins that is at most as likely as the one observed.

/** Both samples at most this long and no ties: the exact distribution of U; else the normal approximation. */
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
  let rankSumCurrent = 0;
  // Sum over tie groups of (t^3 - t), for the variance's tie correction.
  let tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]!.value === pooled[start]!.value) end++;
    const size = end - start + 1;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (pooled[i]!.current) rankSumCurrent += midRank;
    tieTerm += size ** 3 - size;
    start = end + 1;
  }
  const u = rankSumCurrent - (n * (n + 1)) / 2;
  if (tieTerm === 0 && m <= EXACT_MAX && n <= EXACT_MAX) return { u, p: exactTwoSided(m, n, u), method: 'exact' };

  const mean = (m * n) / 2;
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value equal: nothing tells the samples apart.
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal' };
}

/**
 * P(U <= u) doubled (or P(U >= u), whichever tail u is in), from the exact counts of arrangements: ways[k] is
 * how many of the C(m+n, m) orderings give U = k, built up one value at a time.
 */
function exactTwoSided(m: number, n: number, u: number): number {
  // counts[i][j] over U for samples of i and j values; only the previous row is kept.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const row: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      // The largest value is either from the first sample (it beats none of the second: U unchanged) or from
      // the second (it beats all i of the first).
      const fromFirst = previous[j]!;
      const fromSecond = row[j - 1]!;
      const ways = new Array<number>(i * j + 1).fill(0);
      fromFirst.forEach((count, k) => { ways[k]! += count; });
      fromSecond.forEach((count, k) => { ways[k + i]! += count; });
      row.push(ways);
    }
    previous = row;
  }
  const ways = previous[n]!;
  const all = ways.reduce((sum, count) => sum + count, 0);
  const lower = Math.min(u, m * n - u);
  let tail = 0;
  for (let k = 0; k <= Math.floor(lower + 1e-9); k++) tail += ways[k]!;
  return Math.min(1, (2 * tail) / all);
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
