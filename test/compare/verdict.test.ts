import { describe, expect, test } from 'vitest';
import { compareRates, compareValues, DEFAULT_COMPARE_SETTINGS as SETTINGS } from '../../src/compare/verdict.js';
import { latencies, seeded } from './samples.js';

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);

describe('verdicts on generated latencies', () => {
  test('no shift: the same distribution on both sides is never called a regression or an improvement', () => {
    for (const seed of SEEDS) {
      const next = seeded(seed);
      const verdict = compareValues('response_ms', 'ms', latencies(next, 20, 240), latencies(next, 20, 240), SETTINGS);
      expect(verdict.verdict, `seed ${seed}`).toBe('same');
    }
  });

  test('a 2x shift is regressed with 5 samples a side, and a halving improved', () => {
    for (const seed of SEEDS) {
      const next = seeded(seed);
      const baseline = latencies(next, 5, 240, 0.1);
      const slower = compareValues('claim_latency_ms', 'ms', baseline, latencies(next, 5, 480, 0.1), SETTINGS);
      expect(slower, `seed ${seed}`).toMatchObject({ verdict: 'regressed', test: 'mann-whitney-exact', baseline: { n: 5 }, current: { n: 5 } });
      expect(slower.p).toBeLessThan(SETTINGS.alpha);
      expect(slower.ratio).toBeGreaterThan(1.6);
      expect(compareValues('claim_latency_ms', 'ms', baseline, latencies(next, 5, 120, 0.1), SETTINGS).verdict, `seed ${seed}`).toBe('improved');
    }
  });

  test('a 2x shift among noisy values is regressed with 30 samples a side', () => {
    const next = seeded(7);
    const result = compareValues('index_lag_ms', 'ms', latencies(next, 30, 300), latencies(next, 30, 600), SETTINGS);
    expect(result.verdict).toBe('regressed');
    expect(result.ratio).toBeCloseTo(2, 0);
    expect(result.delta).toBeGreaterThan(200);
  });

  test('a small noisy shift under the minimum effect is the same, though the test alone would call it', () => {
    const next = seeded(3);
    // 10 % slower, with so many samples that the rank test is sure of it.
    const result = compareValues('response_ms', 'ms', latencies(next, 2000, 240), latencies(next, 2000, 264), SETTINGS);
    expect(result.p).toBeLessThan(SETTINGS.alpha);
    expect(result.ratio).toBeLessThan(1 + SETTINGS.minEffect.ratio);
    expect(result.verdict).toBe('same');
  });

  test('a doubling of a few milliseconds stays under the absolute minimum of times, but counts for counts', () => {
    const next = seeded(11);
    const baseline = latencies(next, 20, 3, 0.1);
    const current = latencies(next, 20, 6, 0.1);
    expect(compareValues('response_ms', 'ms', baseline, current, SETTINGS).verdict).toBe('same');
    expect(compareValues('pending', 'count', baseline, current, SETTINGS).verdict).toBe('regressed');
    expect(compareValues('response_ms', 'ms', baseline, current, { ...SETTINGS, minEffect: { ratio: 0.2, ms: 1 } }).verdict).toBe('regressed');
  });

  test('too few samples on either side is not enough data, with no p and no shift', () => {
    const next = seeded(5);
    const few = compareValues('response_ms', 'ms', latencies(next, 4, 240), latencies(next, 30, 900), SETTINGS);
    expect(few).toEqual({
      metric: 'response_ms', unit: 'ms', verdict: 'not enough data',
      baseline: { n: 4, p50: expect.any(Number), p95: expect.any(Number) }, current: { n: 30, p50: expect.any(Number), p95: expect.any(Number) },
    });
    expect(compareValues('response_ms', 'ms', latencies(next, 30, 240), [], SETTINGS)).toMatchObject({ verdict: 'not enough data', current: { n: 0 } });
    expect(compareValues('response_ms', 'ms', latencies(next, 30, 240), latencies(next, 30, 900), { ...SETTINGS, minSamples: 31 }).verdict).toBe('not enough data');
  });
});

describe('outcome rates', () => {
  test('a failure rate that rises clearly is regressed; one that falls is improved', () => {
    expect(compareRates('failed', { hits: 0, total: 40 }, { hits: 15, total: 40 }, SETTINGS)).toMatchObject({
      verdict: 'regressed', baseline: { rate: 0 }, current: { rate: 0.375 },
    });
    expect(compareRates('error', { hits: 15, total: 40 }, { hits: 0, total: 40 }, SETTINGS).verdict).toBe('improved');
  });

  test('a few more failures than before is not yet a regression', () => {
    const result = compareRates('failed', { hits: 0, total: 20 }, { hits: 6, total: 20 }, SETTINGS);
    expect(result.p).toBeCloseTo(0.0202, 4);
    expect(result.verdict).toBe('same');
  });

  test('too few results on a side is not enough data', () => {
    expect(compareRates('flaky', { hits: 0, total: 4 }, { hits: 4, total: 4 }, SETTINGS)).toEqual({
      rate: 'flaky', baseline: { hits: 0, total: 4, rate: 0 }, current: { hits: 4, total: 4, rate: 1 }, verdict: 'not enough data',
    });
  });
});
