import { describe, expect, it } from 'vitest';
import { sampleMetrics, samplesOf } from '../../src/pools/capacity-sample.js';

const count = (value: number) => ({ value, unit: 'count' });

describe('capacity samples in the history', () => {
  it('records the fields a sample has as metrics, and reads them back', () => {
    const sample = { atMs: Date.parse('2030-01-01T00:45:00.000Z'), pending: 9, claimed: 2, requested: 0, running: 2, stopping: 1, maxCapacity: 10 };
    const metrics = Object.fromEntries(sampleMetrics(sample).map(([name, value]) => [name, count(value)]));
    expect(Object.keys(metrics)).toEqual(['pending', 'claimed', 'requested_capacity', 'running_capacity', 'stopping_capacity', 'max_capacity']);
    expect(samplesOf([{ startedAt: '2030-01-01T00:45:00.000Z', outcome: 'failed', metrics }])).toEqual([sample]);
  });

  it('reads older samples without the newer fields, and leaves out results that recorded no sample', () => {
    expect(samplesOf([
      { startedAt: '2030-01-01T00:00:00.000Z', outcome: 'failed', metrics: { pending: count(4), requested_capacity: count(0), running_capacity: count(1) } },
      { startedAt: '2030-01-01T00:15:00.000Z', outcome: 'error', metrics: { errors: count(9) } },
      { startedAt: '2030-01-01T00:30:00.000Z', outcome: 'skipped', metrics: {} },
    ])).toEqual([{ atMs: Date.parse('2030-01-01T00:00:00.000Z'), pending: 4, requested: 0, running: 1 }]);
  });
});
