// Taskcluster API clients for one deployment. Built-in retries are off: a probe must see the raw failure,
// and the runner's policy decides whether another attempt is worth it.

import tc, {
  type AuthClient, type Credentials, type HooksClient, type IndexClient, type NotifyClient, type PurgeCacheClient,
  type QueueClient, type SecretsClient, type WorkerManagerClient,
} from 'taskcluster-client';

export interface TaskclusterClients {
  auth: AuthClient;
  hooks: HooksClient;
  index: IndexClient;
  notify: NotifyClient;
  purgeCache: PurgeCacheClient;
  queue: QueueClient;
  secrets: SecretsClient;
  workerManager: WorkerManagerClient;
}

/** Per-request bound; the check's own timeout bounds the whole probe. */
const REQUEST_TIMEOUT_MS = 30_000;

export function taskclusterClients(rootUrl: string, credentials: Credentials | undefined): TaskclusterClients {
  // `credentials: {}` keeps taskcluster-client from falling back to its global defaults: anonymous means anonymous.
  const options = { rootUrl, credentials: credentials ?? {}, retries: 0, timeout: REQUEST_TIMEOUT_MS };
  return {
    auth: new tc.Auth(options),
    hooks: new tc.Hooks(options),
    index: new tc.Index(options),
    notify: new tc.Notify(options),
    purgeCache: new tc.PurgeCache(options),
    queue: new tc.Queue(options),
    secrets: new tc.Secrets(options),
    workerManager: new tc.WorkerManager(options),
  };
}

/** Credentials from TASKCLUSTER_CLIENT_ID / _ACCESS_TOKEN / _CERTIFICATE, or undefined for anonymous access. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const clientId = env.TASKCLUSTER_CLIENT_ID;
  const accessToken = env.TASKCLUSTER_ACCESS_TOKEN;
  if (!clientId || !accessToken) return undefined;
  const certificate = env.TASKCLUSTER_CERTIFICATE;
  return certificate ? { clientId, accessToken, certificate } : { clientId, accessToken };
}
