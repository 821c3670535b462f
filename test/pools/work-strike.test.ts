import { describe, expect, it } from 'vitest';
import { chooseObserver, findWorkStrike, observeWithinRun, samplesOf, type CapacitySample } from '../../src/pools/work-strike.js';

/** A window without a gap limit, as within one run. */
const withinRunWindow = (windowMs: number) => ({ windowMs, maxGapMs: Number.POSITIVE_INFINITY });
const sample = (atMs: number, pending: number, requested = 0, running = 0): CapacitySample => ({ atMs, pending, requested, running });

describe('findWorkStrike', () => {
  it('is a strike when every sample has pending work and no capacity across the window', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 5), sample(20_000, 4)], withinRunWindow(20_000))).toEqual({ pending: 4, samples: 3, spanMs: 20_000 });
  });

  it('is no strike when the samples span less than the window', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 5)], withinRunWindow(20_000))).toBeUndefined();
  });

  it('is no strike when any sample shows capacity or no pending work', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 3, 1), sample(20_000, 3)], withinRunWindow(20_000))).toBeUndefined();
    expect(findWorkStrike([sample(0, 3), sample(10_000, 0), sample(20_000, 3)], withinRunWindow(20_000))).toBeUndefined();
    expect(findWorkStrike([], withinRunWindow(0))).toBeUndefined();
  });

  it('judges the latest streak: samples before the last healthy one do not count', () => {
    const samples = [sample(0, 3), sample(10_000, 3, 0, 2), sample(20_000, 3), sample(50_000, 4)];
    expect(findWorkStrike(samples, withinRunWindow(30_000))).toEqual({ pending: 4, samples: 2, spanMs: 30_000 });
    expect(findWorkStrike(samples, withinRunWindow(40_000))).toBeUndefined();
  });

  it('starts the streak again after a gap longer than maxGapMs: nobody looked in between', () => {
    const samples = [sample(0, 3), sample(40_000, 3), sample(50_000, 3), sample(60_000, 3)];
    expect(findWorkStrike(samples, { windowMs: 30_000, maxGapMs: 30_000 })).toBeUndefined();
    expect(findWorkStrike(samples, { windowMs: 30_000, maxGapMs: 40_000 })).toEqual({ pending: 3, samples: 4, spanMs: 60_000 });
    expect(findWorkStrike(samples, { windowMs: 20_000, maxGapMs: 20_000 })).toEqual({ pending: 3, samples: 3, spanMs: 20_000 });
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
  const withinRun = observeWithinRun({ samples: 3, intervalMs: 10_000, sleep: async () => undefined });
  const NOW = 100 * 60_000;
  const WINDOW = 20 * 60_000;
  const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

  it('judges across runs, over the long window, when the earlier samples reach back that far and keep up; this run still watches', async () => {
    const earlier = [sample(minutesAgo(25), 2), sample(minutesAgo(10), 2)];
    const { observer, acrossRuns } = chooseObserver(earlier, NOW, WINDOW, withinRun);
    expect(acrossRuns).toBe(true);
    expect(observer).toMatchObject({ windowMs: WINDOW, maxGapMs: WINDOW });
    const now = [sample(NOW, 3), sample(NOW + 10_000, 3), sample(NOW + 20_000, 3)];
    expect(await observer.observe(async () => now.shift()!)).toEqual([...earlier, sample(NOW, 3), sample(NOW + 10_000, 3), sample(NOW + 20_000, 3)]);
  });

  it('leaves it to this run when the history is too young, too sparse or stale', () => {
    expect(chooseObserver([], NOW, WINDOW, withinRun)).toEqual({ observer: withinRun, acrossRuns: false });
    expect(chooseObserver([sample(minutesAgo(5), 2)], NOW, WINDOW, withinRun).acrossRuns).toBe(false);
    // An hourly schedule, or the first run after a day down: the newest sample is older than the window.
    expect(chooseObserver([sample(minutesAgo(120), 2), sample(minutesAgo(60), 2)], NOW, WINDOW, withinRun).acrossRuns).toBe(false);
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
