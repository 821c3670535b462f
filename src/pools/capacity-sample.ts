// One look at a pool: the work waiting in its queue beside the capacity worker-manager has for it. Each run of the
// provisioning check records its last look as metrics, so that later runs can read it back from the history.

import type { EarlierResult } from '../check/context.js';

export interface CapacitySample {
  atMs: number;
  pending: number;
  /** Tasks being run; absent on deployments without queue.taskQueueCounts. */
  claimed?: number;
  requested: number;
  running: number;
  /** Capacity of workers shutting down, which worker-manager counts against maxCapacity; absent in older samples. */
  stopping?: number;
  /** The pool's maxCapacity at the time; absent for pools without one (static). */
  maxCapacity?: number;
}

type SampleField = Exclude<keyof CapacitySample, 'atMs'>;

/** The metric name each field is recorded under. */
const SAMPLE_METRICS: Record<SampleField, string> = {
  pending: 'pending',
  claimed: 'claimed',
  requested: 'requested_capacity',
  running: 'running_capacity',
  stopping: 'stopping_capacity',
  maxCapacity: 'max_capacity',
};

const REQUIRED: readonly SampleField[] = ['pending', 'requested', 'running'];

/** The sample as metrics (the fields it has), in a stable order. */
export function sampleMetrics(sample: CapacitySample): Array<[name: string, value: number]> {
  return (Object.keys(SAMPLE_METRICS) as SampleField[]).flatMap((field) => {
    const value = sample[field];
    return value === undefined ? [] : [[SAMPLE_METRICS[field], value] as [string, number]];
  });
}

/** The samples earlier results recorded; results without them (skipped, errored before sampling) are left out. */
export function samplesOf(results: readonly EarlierResult[]): CapacitySample[] {
  return results.flatMap(({ startedAt, metrics }) => {
    if (REQUIRED.some((field) => !metrics[SAMPLE_METRICS[field]])) return [];
    const sample: CapacitySample = { atMs: Date.parse(startedAt), pending: 0, requested: 0, running: 0 };
    for (const field of Object.keys(SAMPLE_METRICS) as SampleField[]) {
      const metric = metrics[SAMPLE_METRICS[field]];
      if (metric) sample[field] = metric.value;
    }
    return [sample];
  });
}
