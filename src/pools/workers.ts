// Workers of a worker-manager pool, as listWorkersForWorkerPool answers them.

import type { WorkerManagerClient } from 'taskcluster-client';
import { pages } from '../taskcluster/paginate.js';

export type WorkerState = 'requested' | 'running' | 'stopping' | 'stopped';

export interface PoolWorker {
  workerGroup: string;
  workerId: string;
  providerId: string;
  state: WorkerState;
  capacity: number;
  /** When the worker scanner last looked at it (absent on some deployments' listings). */
  lastChecked?: string;
}

export async function listPoolWorkers(workerManager: WorkerManagerClient, workerPoolId: string, state: WorkerState): Promise<PoolWorker[]> {
  const workers: PoolWorker[] = [];
  for await (const page of pages((query) => workerManager.listWorkersForWorkerPool(workerPoolId, { ...query, state }) as Promise<{ workers: PoolWorker[]; continuationToken?: string }>)) {
    workers.push(...page.workers);
  }
  return workers;
}

/** The worker the scanner visited longest ago, or undefined when none has a lastChecked. */
export function stalestChecked(workers: readonly PoolWorker[]): { worker: PoolWorker; lastCheckedMs: number } | undefined {
  let stalest: { worker: PoolWorker; lastCheckedMs: number } | undefined;
  for (const worker of workers) {
    if (!worker.lastChecked) continue;
    const lastCheckedMs = Date.parse(worker.lastChecked);
    if (!stalest || lastCheckedMs < stalest.lastCheckedMs) stalest = { worker, lastCheckedMs };
  }
  return stalest;
}
