import { describe, expect, it } from 'vitest';
import { chooseObserver, describeWorkStrike, findWorkStrike, observeWithinRun, samplesOf, strikeRule, type CapacitySample } from '../../src/pools/work-strike.js';
import { roughDuration } from '../../src/pools/rough-duration.js';

/** A pool whose maxCapacity is unknown (static): only no capacity at all is a strike. */
const noCapacityAtAll = strikeRule(undefined);
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

describe('strikeRule', () => {
  const withClaimed = (pending: number, claimed: number | undefined, requested: number, running: number): CapacitySample => ({ atMs: 0, pending, ...(claimed === undefined ? {} : { claimed }), requested, running });

  it('is a strike for pending work with no capacity at all, whatever the pool\'s maximum', () => {
    expect(strikeRule(undefined)(withClaimed(3, 0, 0, 0))).toBe(true);
    expect(strikeRule(10)(withClaimed(3, 0, 0, 0))).toBe(true);
  });

  it('is never a strike without pending work or while capacity is requested', () => {
    expect(strikeRule(10)(withClaimed(0, 2, 0, 2))).toBe(false);
    expect(strikeRule(10)(withClaimed(50, 2, 1, 2))).toBe(false);
    expect(strikeRule(10)(withClaimed(50, 0, 1, 0))).toBe(false);
  });

  it('below maxCapacity, is a strike when more work waits than idle capacity can take and nothing is requested: capacity does not grow', () => {
    // Two busy workers, 12 tasks waiting, room for 8 more: the provisioner should be asking.
    expect(strikeRule(10)(withClaimed(12, 2, 0, 2))).toBe(true);
    // One of the two is idle and takes the one pending task: nothing to provision.
    expect(strikeRule(10)(withClaimed(1, 1, 0, 2))).toBe(false);
    // Claimed unknown (no taskQueueCounts): all running capacity may be idle, so only more pending than that counts.
    expect(strikeRule(10)(withClaimed(2, undefined, 0, 2))).toBe(false);
    expect(strikeRule(10)(withClaimed(3, undefined, 0, 2))).toBe(true);
  });

  it('is no strike at maxCapacity (the pool is full, the backlog check speaks for it) nor, for a running pool, without a known maximum', () => {
    expect(strikeRule(2)(withClaimed(12, 2, 0, 2))).toBe(false);
    expect(strikeRule(undefined)(withClaimed(12, 2, 0, 2))).toBe(false);
  });
});

describe('describeWorkStrike', () => {
  const options = { maxCapacity: 10, acrossRuns: true, duration: roughDuration };

  it('says capacity stayed 0 when the pool has none', () => {
    expect(describeWorkStrike('proj/pool', { latest: sample(0, 5), samples: 4, spanMs: 25 * 60_000 }, options))
      .toBe('work strike on proj/pool: 5 tasks pending while requested and running capacity stayed 0 over 25m 0s (4 samples across runs)');
  });

  it('says capacity did not grow toward maxCapacity, with what runs and what is claimed, when the pool has some', () => {
    const latest: CapacitySample = { atMs: 0, pending: 12, claimed: 2, requested: 0, running: 2 };
    expect(describeWorkStrike('proj/pool', { latest, samples: 3, spanMs: 20_000 }, { ...options, acrossRuns: false }))
      .toBe('work strike on proj/pool: 12 tasks pending (running capacity 2, 2 claimed) while capacity did not grow toward maxCapacity 10 and nothing was requested over 20s (3 samples)');
  });
});

describe('observeWithinRun', () => {
  const sleeps: number[] = [];
  const observer = observeWithinRun({ samples: 3, intervalMs: 10_000, isStriking: noCapacityAtAll, sleep: async (ms) => { sleeps.push(ms); } });

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
  const withinRun = observeWithinRun({ samples: 3, intervalMs: 10_000, isStriking: noCapacityAtAll, sleep: async () => undefined });
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
      { startedAt: '2030-01-01T00:45:00.000Z', outcome: 'failed', metrics: { pending: count(9), claimed: count(2), requested_capacity: count(0), running_capacity: count(2) } },
    ])).toEqual([
      { atMs: Date.parse('2030-01-01T00:00:00.000Z'), pending: 4, requested: 0, running: 1 },
      { atMs: Date.parse('2030-01-01T00:45:00.000Z'), pending: 9, claimed: 2, requested: 0, running: 2 },
    ]);
  });
});
