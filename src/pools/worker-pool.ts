// A pool as worker-manager describes it. A task queue need not be a worker-manager pool (built-in workers,
// workers started by hand): then worker-manager answers 404 and the pool's worker-manager checks do not apply.

import type { WorkerManagerClient } from 'taskcluster-client';
import { unlessNotFound } from './not-found.js';
import { pages } from './paginate.js';

export interface WorkerPool {
  workerPoolId: string;
  providerId: string;
}

/** The pool, or undefined when worker-manager does not manage it. */
export async function readManagedPool(workerManager: WorkerManagerClient, workerPoolId: string): Promise<WorkerPool | undefined> {
  return unlessNotFound<WorkerPool>(workerManager.workerPool(workerPoolId));
}

export function notManagedReason(workerPoolId: string): string {
  return `${workerPoolId} is not a worker-manager pool (workerPool answered 404)`;
}

/** The provider implementations whose workers the worker scanner visits, updating their lastChecked. */
export const CLOUD_PROVIDER_TYPES: readonly string[] = ['aws', 'google', 'azure'];

/**
 * providerId -> providerType. A providerId is a name the deployment chose ("community-tc-workers-google"); only
 * worker-manager's provider list says which implementation (aws, google, azure, static, null) is behind it.
 */
export async function readProviderTypes(workerManager: WorkerManagerClient): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  for await (const page of pages((query) => workerManager.listProviders(query) as Promise<{ providers: { providerId: string; providerType: string }[]; continuationToken?: string }>)) {
    for (const { providerId, providerType } of page.providers) types.set(providerId, providerType);
  }
  return types;
}
