import { describe, expect, it } from 'vitest';
import type { CapacitySample } from '../../src/pools/capacity-sample.js';
import { noCapacityRule, noGrowthRule } from '../../src/pools/strike-rules.js';

const look = (fields: Omit<CapacitySample, 'atMs'>): CapacitySample => ({ atMs: 0, ...fields });

describe('noCapacityRule', () => {
  it('is a strike for pending work with no running capacity and none requested, whatever the pool\'s maximum', () => {
    expect(noCapacityRule(look({ pending: 3, requested: 0, running: 0 }))).toBe(true);
    expect(noCapacityRule(look({ pending: 3, requested: 0, running: 0, maxCapacity: 10 }))).toBe(true);
    // Workers stuck shutting down still run nothing of the work.
    expect(noCapacityRule(look({ pending: 3, requested: 0, running: 0, stopping: 4, maxCapacity: 4 }))).toBe(true);
  });

  it('is no strike without pending work, while capacity is requested or runs, or when the pool is switched off', () => {
    expect(noCapacityRule(look({ pending: 0, requested: 0, running: 0 }))).toBe(false);
    expect(noCapacityRule(look({ pending: 3, requested: 1, running: 0 }))).toBe(false);
    expect(noCapacityRule(look({ pending: 3, requested: 0, running: 1 }))).toBe(false);
    expect(noCapacityRule(look({ pending: 3, requested: 0, running: 0, maxCapacity: 0 }))).toBe(false);
  });
});

describe('noGrowthRule', () => {
  it('is a strike wherever the no-capacity rule is', () => {
    expect(noGrowthRule(look({ pending: 3, requested: 0, running: 0 }))).toBe(true);
  });

  it('below maxCapacity, is a strike when more work waits than idle capacity can take and nothing is requested', () => {
    // Two busy workers, 12 tasks waiting, room for 8 more: the provisioner should be asking.
    expect(noGrowthRule(look({ pending: 12, claimed: 2, requested: 0, running: 2, maxCapacity: 10 }))).toBe(true);
    // Both workers busy and two more tasks waiting: idle capacity is running minus claimed, here none.
    expect(noGrowthRule(look({ pending: 2, claimed: 2, requested: 0, running: 2, maxCapacity: 10 }))).toBe(true);
    // One of the two is idle and takes the one pending task: nothing to provision.
    expect(noGrowthRule(look({ pending: 1, claimed: 1, requested: 0, running: 2, maxCapacity: 10 }))).toBe(false);
  });

  it('counts all running capacity as idle when the claimed count is unknown (no taskQueueCounts)', () => {
    expect(noGrowthRule(look({ pending: 2, requested: 0, running: 2, maxCapacity: 10 }))).toBe(false);
    expect(noGrowthRule(look({ pending: 3, requested: 0, running: 2, maxCapacity: 10 }))).toBe(true);
  });

  it('is no strike while capacity is requested, at maxCapacity counting stopping capacity, or without a known maximum', () => {
    expect(noGrowthRule(look({ pending: 12, claimed: 2, requested: 1, running: 2, maxCapacity: 10 }))).toBe(false);
    expect(noGrowthRule(look({ pending: 12, claimed: 2, requested: 0, running: 2, maxCapacity: 2 }))).toBe(false);
    // worker-manager counts capacity still shutting down against the maximum, and spawns nothing here.
    expect(noGrowthRule(look({ pending: 5, claimed: 6, requested: 0, running: 6, stopping: 4, maxCapacity: 10 }))).toBe(false);
    expect(noGrowthRule(look({ pending: 5, claimed: 6, requested: 0, running: 6, stopping: 3, maxCapacity: 10 }))).toBe(true);
    expect(noGrowthRule(look({ pending: 12, claimed: 2, requested: 0, running: 2 }))).toBe(false);
  });
});
