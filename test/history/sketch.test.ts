import { describe, expect, test } from 'vitest';
import { addToHistogram, bucketOf, bucketValue, emptyHistogram, includeInRange, percentiles } from '../../src/history/sketch.js';

function histogramOf(values: readonly number[]) {
  const histogram = emptyHistogram();
  for (const value of values) {
    addToHistogram(histogram, bucketOf(value), 1);
    includeInRange(histogram, value, value);
  }
  return histogram;
}

describe('metric histogram buckets', () => {
  test('a bucket stands for its values within 1 %, for tiny, huge and negative values', () => {
    for (const value of [0.000123, 0.5, 1, 7.3, 999, 123456.789, 3.5e12, -0.02, -42, -9e9]) {
      const back = bucketValue(bucketOf(value));
      expect(Math.abs(back - value) / Math.abs(value)).toBeLessThanOrEqual(0.01);
    }
    expect(bucketValue(bucketOf(0))).toBe(0);
  });

  test('buckets sort like their values, so the database can order by bucket', () => {
    const values = [-1e6, -3, -0.5, 0, 0.001, 0.5, 1, 2, 1e9];
    const buckets = values.map(bucketOf);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
  });

  test('nearest-rank percentiles, clamped to the exact min and max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const [p50, p95, p99, p100] = percentiles(histogramOf(values), [50, 95, 99, 100]);
    expect(Math.abs(p50! - 500) / 500).toBeLessThanOrEqual(0.01);
    expect(Math.abs(p95! - 950) / 950).toBeLessThanOrEqual(0.01);
    expect(Math.abs(p99! - 990) / 990).toBeLessThanOrEqual(0.01);
    expect(p100).toBe(1000);
    // One value: every percentile is that value exactly.
    expect(percentiles(histogramOf([250.7]), [50, 99])).toEqual([250.7, 250.7]);
    // Few values: p50 of [10, 20, 30, 1000] is the 2nd (nearest rank), p95 the 4th.
    const [small50, small95] = percentiles(histogramOf([1000, 10, 30, 20]), [50, 95]);
    expect(Math.abs(small50! - 20) / 20).toBeLessThanOrEqual(0.01);
    expect(small95).toBe(1000);
  });
});
