import { describe, expect, it } from 'vitest';
import type { EarlierResult } from '../../src/check/context.js';
import { currentGrowth, depthSamples, type DepthSample } from '../../src/pulse/queue-growth.js';

const MINUTE = 60_000;
/** Depths one run (5 minutes) apart. */
const runs = (...depths: number[]): DepthSample[] => depths.map((messages, i) => ({ atMs: i * 5 * MINUTE, messages }));

describe('a queue\'s growth across runs', () => {
  it('starts after the last run whose depth did not rise', () => {
    expect(currentGrowth(runs(0, 5, 3, 4, 6))).toEqual({ from: { atMs: 10 * MINUTE, messages: 3 }, to: { atMs: 20 * MINUTE, messages: 6 }, samples: 3, spanMs: 10 * MINUTE });
    expect(currentGrowth(runs(1, 2, 3))).toMatchObject({ samples: 3, spanMs: 10 * MINUTE });
  });

  it('is none when the newest depth is no deeper than the one before, or there is no earlier depth', () => {
    expect(currentGrowth(runs(1, 2, 3, 3))).toBeUndefined();
    expect(currentGrowth(runs(9, 2))).toBeUndefined();
    expect(currentGrowth(runs(7))).toBeUndefined();
    expect(currentGrowth([])).toBeUndefined();
  });

  it('reads the depth each earlier result recorded for that queue, leaving out results without it', () => {
    const result = (startedAt: string, metrics: EarlierResult['metrics']): EarlierResult => ({ startedAt, outcome: 'passed', metrics });
    const earlier = [
      result('2026-12-01T10:00:00.000Z', { 'queue/a.messages': { value: 4, unit: 'count' }, 'queue/b.messages': { value: 9, unit: 'count' } }),
      result('2026-12-01T10:05:00.000Z', {}),
      result('2026-12-01T10:10:00.000Z', { 'queue/a.messages': { value: 6, unit: 'count' } }),
    ];
    expect(depthSamples(earlier, 'queue/a')).toEqual([
      { atMs: Date.parse('2026-12-01T10:00:00.000Z'), messages: 4 },
      { atMs: Date.parse('2026-12-01T10:10:00.000Z'), messages: 6 },
    ]);
  });
});
