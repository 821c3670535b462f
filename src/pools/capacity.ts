// How much capacity a pool has asked for (requested) and has (running). workerPoolStats answers it in one call
// on deployments that have it; older ones (v74) answer 404 and the workers are listed and summed instead.

import type { WorkerManagerClient } from 'taskcluster-client';
import { unlessNotFound } from './not-found.js';
import { listPoolWorkers, type PoolWorker } from './workers.js';

export interface Capacity {
  requested: number;
  running: number;
  source: 'workerPoolStats' | 'listWorkersForWorkerPool';
}

interface LaunchConfigStats {
  requestedCapacity?: number;
  runningCapacity?: number;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
const capacityOf = (workers: PoolWorker[]): number => sum(workers.map((worker) => worker.capacity));

export async function readCapacity(workerManager: WorkerManagerClient, workerPoolId: string): Promise<Capacity> {
  const stats = await unlessNotFound<{ launchConfigStats: LaunchConfigStats[] }>(workerManager.workerPoolStats(workerPoolId));
  if (stats) {
    return {
      requested: sum(stats.launchConfigStats.map((s) => s.requestedCapacity ?? 0)),
      running: sum(stats.launchConfigStats.map((s) => s.runningCapacity ?? 0)),
      source: 'workerPoolStats',
    };
  }
  const [requested, running] = await Promise.all([
    listPoolWorkers(workerManager, workerPoolId, 'requested'),
    listPoolWorkers(workerManager, workerPoolId, 'running'),
  ]);
  return { requested: capacityOf(requested), running: capacityOf(running), source: 'listWorkersForWorkerPool' };
}
