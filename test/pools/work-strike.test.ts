import { describe, expect, it } from 'vitest';
import type { CapacitySample } from '../../src/pools/capacity-sample.js';
import { noCapacityRule, noGrowthRule } from '../../src/pools/strike-rules.js';
import { chooseObserver, describeWorkStrike, findWorkStrike, observeWithinRun } from '../../src/pools/work-strike.js';

const noCapacityAtAll = noCapacityRule;
/** A window without a gap limit, as within one run. */
const withinRunWindow = (windowMs: number) => ({ windowMs, maxGapMs: Number.POSITIVE_INFINITY, isStriking: noCapacityAtAll });
const sample = (atMs: number, pending: number, requested = 0, running = 0): CapacitySample => ({ atMs, pending, requested, running });

describe('findWorkStrike', () => {
  it('is a strike when every sample has pending work and no capacity across the window', () => {
    expect(findWorkStrike([sample(0, 3), sample(10_000, 5), sample(20_000, 4)], withinRunWindow(20_000))).toMatchObject({ latest: { pending: 4 }, samples: 3, spanMs: 20_000 });
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
    expect(findWorkStrike(samples, withinRunWindow(30_000))).toMatchObject({ latest: { pending: 4 }, samples: 2, spanMs: 30_000 });
    expect(findWorkStrike(samples, withinRunWindow(40_000))).toBeUndefined();
  });

  it('starts the streak again after a gap longer than maxGapMs: nobody looked in between', () => {
    const samples = [sample(0, 3), sample(40_000, 3), sample(50_000, 3), sample(60_000, 3)];
    expect(findWorkStrike(samples, { windowMs: 30_000, maxGapMs: 30_000, isStriking: noCapacityAtAll })).toBeUndefined();
    expect(findWorkStrike(samples, { windowMs: 30_000, maxGapMs: 40_000, isStriking: noCapacityAtAll })).toMatchObject({ latest: { pending: 3 }, samples: 4, spanMs: 60_000 });
    expect(findWorkStrike(samples, { windowMs: 20_000, maxGapMs: 20_000, isStriking: noCapacityAtAll })).toMatchObject({ latest: { pending: 3 }, samples: 3, spanMs: 20_000 });
  });
});

describe('findWorkStrike and describeWorkStrike', () => {
  const growthWindow = { windowMs: 20_000, maxGapMs: Number.POSITIVE_INFINITY, isStriking: noGrowthRule };
  const busy = (atMs: number, running: number): CapacitySample => ({ atMs, pending: 12, claimed: running, requested: 0, running, maxCapacity: 10 });

  it('says capacity stayed 0 when no sample of the streak had running capacity, naming stopping capacity', () => {
    const strike = findWorkStrike([sample(0, 5), sample(25 * 60_000, 5)], { ...withinRunWindow(20 * 60_000) })!;
    expect(describeWorkStrike('proj/pool', strike, true))
      .toBe('work strike on proj/pool: 5 tasks pending while requested and running capacity stayed 0 over 25m (2 samples across runs)');
    const stuck = findWorkStrike([{ ...sample(0, 5), stopping: 4 }, { ...sample(20_000, 5), stopping: 4 }], withinRunWindow(20_000))!;
    expect(describeWorkStrike('proj/pool', stuck, false))
      .toBe('work strike on proj/pool: 5 tasks pending while requested and running capacity stayed 0 (4 stopping) over 20s (2 samples)');
  });

  it('says capacity did not grow toward maxCapacity, with what runs and what is claimed, when the pool had some', () => {
    const strike = findWorkStrike([busy(0, 2), busy(10_000, 2), { ...busy(20_000, 2), stopping: 1 }], growthWindow)!;
    expect(describeWorkStrike('proj/pool', strike, false))
      .toBe('work strike on proj/pool: 12 tasks pending (running capacity 2, 2 claimed, 1 stopping) while capacity did not grow toward maxCapacity 10 and nothing was requested over 20s (3 samples)');
  });

  it('does not say capacity stayed 0 when only the latest sample had none', () => {
    const strike = findWorkStrike([busy(0, 2), busy(10_000, 2), busy(20_000, 0)], growthWindow)!;
    expect(strike.noCapacityThroughout).toBe(false);
    expect(describeWorkStrike('proj/pool', strike, true)).toMatch(/^work strike on proj\/pool: 12 tasks pending \(running capacity 0, 0 claimed\) while capacity did not grow/);
  });
});

describe('observeWithinRun', () => {
  const sleeps: number[] = [];
  const observer = observeWithinRun({ samples: 3, intervalMs: 10_000, sleep: async (ms) => { sleeps.push(ms); } }, noCapacityRule);

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
  const withinRun = { samples: 3, intervalMs: 10_000, sleep: async () => undefined };
  const NOW = 100 * 60_000;
  const WINDOW = 20 * 60_000;
  const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

  it('judges across runs, over the long window and counting capacity that does not grow, when the earlier samples reach back that far and keep up; this run still watches', async () => {
    const earlier = [sample(minutesAgo(25), 2), sample(minutesAgo(10), 2)];
    const { observer, acrossRuns } = chooseObserver(earlier, NOW, WINDOW, withinRun);
    expect(acrossRuns).toBe(true);
    expect(observer).toMatchObject({ windowMs: WINDOW, maxGapMs: WINDOW, isStriking: noGrowthRule });
    const now = [sample(NOW, 3), sample(NOW + 10_000, 3), sample(NOW + 20_000, 3)];
    expect(await observer.observe(async () => now.shift()!)).toEqual([...earlier, sample(NOW, 3), sample(NOW + 10_000, 3), sample(NOW + 20_000, 3)]);
  });

  it('leaves it to this run, counting only no capacity at all, when the history is too young, too sparse or stale', () => {
    expect(chooseObserver([], NOW, WINDOW, withinRun)).toMatchObject({ observer: { windowMs: 20_000, isStriking: noCapacityRule }, acrossRuns: false });
    expect(chooseObserver([sample(minutesAgo(5), 2)], NOW, WINDOW, withinRun).acrossRuns).toBe(false);
    // An hourly schedule, or the first run after a day down: the newest sample is older than the window.
    expect(chooseObserver([sample(minutesAgo(120), 2), sample(minutesAgo(60), 2)], NOW, WINDOW, withinRun).acrossRuns).toBe(false);
  });
});
