// A pool as worker-manager describes it. A task queue need not be a worker-manager pool (built-in workers,
// workers started by hand): then worker-manager answers 404 and the pool's worker-manager checks do not apply.

import type { WorkerManagerClient } from 'taskcluster-client';
import { unlessNotFound } from '../taskcluster/api-errors.js';

export interface WorkerPool {
  workerPoolId: string;
  providerId: string;
  /** Provider-specific; cloud providers (aws, azure, google) carry maxCapacity and scalingRatio here, static pools do not. */
  config?: { maxCapacity?: unknown; scalingRatio?: unknown };
}

const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The most capacity worker-manager will provision for the pool, where its config says. */
export function maxCapacityOf(pool: WorkerPool): number | undefined {
  return numberOrUndefined(pool.config?.maxCapacity);
}

/** Why worker-manager is configured never to provision for the pool's pending work, if it is. */
export function notProvisionedReason(pool: WorkerPool): string | undefined {
  if (maxCapacityOf(pool) === 0) return 'its maxCapacity is 0';
  if (numberOrUndefined(pool.config?.scalingRatio) === 0) return 'its scalingRatio is 0';
  return undefined;
}

/** The pool, or undefined when worker-manager does not manage it. */
export async function readManagedPool(workerManager: WorkerManagerClient, workerPoolId: string): Promise<WorkerPool | undefined> {
  return unlessNotFound<WorkerPool>(workerManager.workerPool(workerPoolId));
}

export function notManagedReason(workerPoolId: string): string {
  return `${workerPoolId} is not a worker-manager pool (workerPool answered 404)`;
}
