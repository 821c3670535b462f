// Whether one look at a pool shows it on strike: work waits and the provisioner adds no capacity for it.

import type { CapacitySample } from './capacity-sample.js';

export type StrikeRule = (sample: CapacitySample) => boolean;

/**
 * Pending work, no running capacity and none requested: nothing of the work can run. A pool whose maxCapacity is
 * 0 is switched off, not on strike.
 */
export const noCapacityRule: StrikeRule = ({ pending, requested, running, maxCapacity }) =>
  pending > 0 && requested === 0 && running === 0 && maxCapacity !== 0;

/**
 * Also "capacity does not grow", as worker-manager's estimator reckons: nothing requested while the pool, with
 * its stopping capacity, stays below maxCapacity and more tasks are pending than its idle capacity can take
 * (running capacity not busy with claimed tasks; all of it when the claimed count is unknown). Only pools with a
 * maxCapacity (cloud providers) can be judged so.
 */
export const noGrowthRule: StrikeRule = (sample) => {
  if (noCapacityRule(sample)) return true;
  const { pending, claimed, requested, running, stopping, maxCapacity } = sample;
  if (pending === 0 || requested > 0 || maxCapacity === undefined) return false;
  const idle = Math.max(0, running - (claimed ?? 0));
  return running + (stopping ?? 0) < maxCapacity && pending > idle;
};
