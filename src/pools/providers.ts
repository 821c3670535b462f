// Which provider implementation runs a pool's workers. A providerId is a name the deployment chose
// ("community-tc-workers-google"); only worker-manager's provider list says what is behind it.

import type { WorkerManagerClient } from 'taskcluster-client';
import { pages } from '../taskcluster/paginate.js';

/** The provider implementations whose workers the worker scanner visits, updating their lastChecked. */
export const CLOUD_PROVIDER_TYPES: readonly string[] = ['aws', 'google', 'azure'];

/** providerId -> providerType (aws, google, azure, static, null). */
export async function readProviderTypes(workerManager: WorkerManagerClient): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  for await (const page of pages((query) => workerManager.listProviders(query) as Promise<{ providers: { providerId: string; providerType: string }[]; continuationToken?: string }>)) {
    for (const { providerId, providerType } of page.providers) types.set(providerId, providerType);
  }
  return types;
}
