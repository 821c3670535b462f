import { describe, expect, it } from 'vitest';
import { findWorkStrike, observeWithinRun, type CapacitySample } from '../../src/pools/work-strike.js';

const sample = (atMs: number, pending: number, requested = 0, running = 0): CapacitySample => ({ atMs, pending, requested, running });

describe('findWorkStrike', () => {
  it('is a strike when every sample has pending work and no capacity across the window', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 5), sample(20_000, 4)], 20_000)).toEqual({ pending: 4, samples: 3, spanMs: 20_000 });
  });

  it('is no strike when the samples span less than the window', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 5)], 20_000)).toBeUndefined();
  });

  it('is no strike when any sample shows capacity or no pending work', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 3, 1), sample(20_000, 3)], 20_000)).toBeUndefined();
    expect(findWorkStrike([sample(0, 3), sample(10_000, 0), sample(20_000, 3)], 20_000)).toBeUndefined();
    expect(findWorkStrike([], 0)).toBeUndefined();
  });
});

describe('observeWithinRun', () => {
  const sleeps: number[] = [];
  const observer = observeWithinRun({ samples: 3, intervalMs: 10_000, sleep: async (ms) => { sleeps.push(ms); } });

  it('spans (samples - 1) intervals', () => {
    expect(observer.windowMs).toBe(20_000);
  });

  it('takes every sample while the pool looks on strike, an interval apart', async () => {
    sleeps.length = 0;
    let t = 0;
    const samples = await observer.observe(async () => sample((t += 10_000), 2));
    expect(samples).toHaveLength(3);
    expect(sleeps).toEqual([10_000, 10_000]);
  });

  it('stops at the first sample that shows capacity', async () => {
    sleeps.length = 0;
    const answers = [sample(0, 2), sample(1, 2, 0, 1), sample(2, 2)];
    const samples = await observer.observe(async () => answers.shift()!);
    expect(samples).toHaveLength(2);
    expect(sleeps).toEqual([10_000]);
  });
});
