// How much capacity a pool has asked for (requested), has (running) and is shutting down (stopping).
// workerPoolStats answers it in one call on deployments that have it; older ones (v74) answer 404 and the
// workers are listed and summed instead.

import type { WorkerManagerClient } from 'taskcluster-client';
import { unlessNotFound } from '../taskcluster/api-errors.js';
import { listPoolWorkers, type PoolWorker } from './workers.js';

export interface Capacity {
  requested: number;
  running: number;
  stopping: number;
  source: 'workerPoolStats' | 'listWorkersForWorkerPool';
}

interface LaunchConfigStats {
  requestedCapacity?: number;
  runningCapacity?: number;
  stoppingCapacity?: number;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
const capacityOf = (workers: PoolWorker[]): number => sum(workers.map((worker) => worker.capacity));

export async function readCapacity(workerManager: WorkerManagerClient, workerPoolId: string): Promise<Capacity> {
  const stats = await unlessNotFound<{ launchConfigStats: LaunchConfigStats[] }>(workerManager.workerPoolStats(workerPoolId));
  if (stats) {
    const total = (field: keyof LaunchConfigStats) => sum(stats.launchConfigStats.map((s) => s[field] ?? 0));
    return { requested: total('requestedCapacity'), running: total('runningCapacity'), stopping: total('stoppingCapacity'), source: 'workerPoolStats' };
  }
  const [requested, running, stopping] = await Promise.all(
    (['requested', 'running', 'stopping'] as const).map((state) => listPoolWorkers(workerManager, workerPoolId, state)),
  );
  return { requested: capacityOf(requested!), running: capacityOf(running!), stopping: capacityOf(stopping!), source: 'listWorkersForWorkerPool' };
}
