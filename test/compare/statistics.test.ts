import { describe, expect, test } from 'vitest';
import { EXACT_MAX, fisherExact, mannWhitney, percentileOf } from '../../src/compare/statistics.js';

// Reference p values computed with SciPy 1.17 (scipy.stats.mannwhitneyu and fisher_exact).
describe('Mann-Whitney U', () => {
  test('with small samples, p comes from the exact distribution', () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({ u: 25, p: expect.closeTo(0.007936507936507936, 12), method: 'exact' });
    const overlapping = mannWhitney([1.1, 2.3, 3.5, 4.2, 5.9, 6.1], [3.8, 5.2, 7.7, 8.1, 9.4]);
    expect(overlapping.method).toBe('exact');
    expect(overlapping.u).toBe(25); // SciPy gives the first sample's U: 30 - 25 = 5.
    expect(overlapping.p).toBeCloseTo(0.08225108225108226, 12);
    // The test is symmetric: swapping the sides gives the same p.
    expect(mannWhitney([3.8, 5.2, 7.7, 8.1, 9.4], [1.1, 2.3, 3.5, 4.2, 5.9, 6.1]).p).toBeCloseTo(overlapping.p, 12);
  });

  test('with ties and small samples, p is still exact: the permutation distribution of the mean ranks', () => {
    // Brute force over the 252 ways to split the ten values: 56 are at least as extreme.
    expect(mannWhitney([1, 2, 2, 3, 5], [2, 3, 5, 5, 6])).toEqual({ u: 19.5, p: expect.closeTo(56 / 252, 12), method: 'exact' });
    // Whole milliseconds tie within each side; the sides do not overlap: the smallest p there is.
    expect(mannWhitney([2, 2, 3, 3, 13], [300, 301, 301, 302, 310]).p).toBeCloseTo(2 / 252, 12);
  });

  test('past EXACT_MAX a side, p comes from the normal approximation with the tie and continuity corrections', () => {
    const first = [1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30];
    const second = [5, 6, 6, 7, 8, 9, 10, 12, 14, 15, 17, 18, 20, 21, 22, 23, 25, 26, 27, 28, 29, 31, 33, 35, 36, 37, 38, 40, 41, 42, 43, 44];
    const result = mannWhitney(first, second);
    expect(result.method).toBe('normal');
    expect(first.length * second.length - result.u).toBe(272);
    expect(result.p).toBeCloseTo(0.0012962996257339658, 6);
  });

  test('samples longer than EXACT_MAX use the normal approximation even without ties', () => {
    const first = Array.from({ length: EXACT_MAX + 1 }, (_, i) => i + 0.5);
    expect(mannWhitney(first, [100, 101, 102]).method).toBe('normal');
  });

  test('samples of one repeated value cannot be told apart', () => {
    expect(mannWhitney([7, 7, 7], [7, 7])).toEqual({ u: 3, p: 1, method: 'exact' });
    const many = Array.from({ length: EXACT_MAX + 1 }, () => 7);
    expect(mannWhitney(many, many)).toEqual({ u: (many.length * many.length) / 2, p: 1, method: 'normal' });
  });

  test('an empty side is refused', () => {
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
  });
});

describe("Fisher's exact test", () => {
  test('matches the reference two-sided p values', () => {
    expect(fisherExact({ hits: 1, total: 10 }, { hits: 11, total: 14 })).toBeCloseTo(0.0027594561852200836, 10);
    expect(fisherExact({ hits: 3, total: 4 }, { hits: 1, total: 4 })).toBeCloseTo(0.48571428571428565, 10);
    expect(fisherExact({ hits: 0, total: 20 }, { hits: 6, total: 20 })).toBeCloseTo(0.0201960201960202, 10);
  });

  test('no hits, or only hits, on both sides is no difference', () => {
    expect(fisherExact({ hits: 0, total: 30 }, { hits: 0, total: 5 })).toBe(1);
    expect(fisherExact({ hits: 30, total: 30 }, { hits: 5, total: 5 })).toBe(1);
  });
});

test('percentiles are nearest-rank', () => {
  expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  expect(percentileOf([42], 50)).toBe(42);
});
