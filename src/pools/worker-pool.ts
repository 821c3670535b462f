// A pool as worker-manager describes it. A task queue need not be a worker-manager pool (built-in workers,
// workers started by hand): then worker-manager answers 404 and the pool's worker-manager checks do not apply.

import type { WorkerManagerClient } from 'taskcluster-client';
import { unlessNotFound } from './not-found.js';

export interface WorkerPool {
  workerPoolId: string;
  providerId: string;
  /** Provider-specific; cloud providers (aws, azure, google) carry min/maxCapacity here, static pools do not. */
  config?: { maxCapacity?: unknown };
}

/** The most capacity worker-manager will provision for the pool, where its config says. */
export function maxCapacityOf(pool: WorkerPool): number | undefined {
  const max = pool.config?.maxCapacity;
  return typeof max === 'number' && Number.isFinite(max) ? max : undefined;
}

/** The pool, or undefined when worker-manager does not manage it. */
export async function readManagedPool(workerManager: WorkerManagerClient, workerPoolId: string): Promise<WorkerPool | undefined> {
  return unlessNotFound<WorkerPool>(workerManager.workerPool(workerPoolId));
}

export function notManagedReason(workerPoolId: string): string {
  return `${workerPoolId} is not a worker-manager pool (workerPool answered 404)`;
}
