import { describe, expect, it } from 'vitest';
import { chooseObserver, findWorkStrike, observeWithinRun, samplesOf, type CapacitySample } from '../../src/pools/work-strike.js';

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

  it('judges the latest streak: samples before the last healthy one do not count', () => {
    const samples = [sample(0, 3), sample(10_000, 3, 0, 2), sample(20_000, 3), sample(50_000, 4)];
    expect(findWorkStrike(samples, 30_000)).toEqual({ pending: 4, samples: 2, spanMs: 30_000 });
    expect(findWorkStrike(samples, 40_000)).toBeUndefined();
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

describe('chooseObserver', () => {
  const withinRun = () => observeWithinRun({ samples: 3, intervalMs: 10_000, sleep: async () => undefined });
  const NOW = 100 * 60_000;

  it('judges across runs, over the long window, once the earlier samples reach back that far', async () => {
    const earlier = [sample(NOW - 25 * 60_000, 2), sample(NOW - 10 * 60_000, 2)];
    const { observer, acrossRuns } = chooseObserver(earlier, NOW, 20 * 60_000, withinRun);
    expect(acrossRuns).toBe(true);
    expect(observer.windowMs).toBe(20 * 60_000);
    expect(await observer.observe(async () => sample(NOW, 3))).toEqual([...earlier, sample(NOW, 3)]);
  });

  it('samples within the run when there are no earlier samples, or they are younger than the window', () => {
    expect(chooseObserver([], NOW, 20 * 60_000, withinRun)).toMatchObject({ acrossRuns: false, observer: { windowMs: 20_000 } });
    expect(chooseObserver([sample(NOW - 5 * 60_000, 2)], NOW, 20 * 60_000, withinRun)).toMatchObject({ acrossRuns: false });
  });
});

describe('samplesOf', () => {
  it('reads the recorded sample of each earlier result, leaving out results that recorded none', () => {
    const count = (value: number) => ({ value, unit: 'count' });
    expect(samplesOf([
      { startedAt: '2030-01-01T00:00:00.000Z', outcome: 'failed', metrics: { pending: count(4), requested_capacity: count(0), running_capacity: count(1) } },
      { startedAt: '2030-01-01T00:15:00.000Z', outcome: 'error', metrics: { errors: count(9) } },
      { startedAt: '2030-01-01T00:30:00.000Z', outcome: 'skipped', metrics: {} },
    ])).toEqual([{ atMs: Date.parse('2030-01-01T00:00:00.000Z'), pending: 4, requested: 0, running: 1 }]);
  });
});
