// Taskcluster API clients for one deployment. Built-in retries are off: a probe must see the raw failure,
// and the runner's policy decides whether another attempt is worth it.

import type {
  AuthClient, ClientOptions, Credentials, HooksClient, IndexClient, NotifyClient, PurgeCacheClient, QueueClient,
  SecretsClient, WorkerManagerClient,
} from 'taskcluster-client';
import { loadOnUse } from '../load-on-use.js';
import { correctSigningClock } from './signing-clock.js';

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

/**
 * taskcluster-client takes longer to load than Node takes to start, so it is loaded when a check first uses a
 * client, not when a run starts: a run of pings never loads it. It is loaded from the one file the build
 * bundles it into (scripts/bundle-taskcluster-client.mjs), in half the time of its ES modules.
 */
const loadTaskclusterClient = loadOnUse<typeof import('taskcluster-client')>('#taskcluster-client');
const nodeHttp = loadOnUse<typeof import('node:http')>('node:http');
const nodeHttps = loadOnUse<typeof import('node:https')>('node:https');
let library: ReturnType<typeof loadTaskclusterClient> | undefined;

/**
 * taskcluster-client, its calls sent through agents that keep connections open: its own close each one after
 * a call, so every call to a deployment a network away paid a new TCP and TLS handshake (a task's createTask
 * and each queue.status read, 120 ms each in bench/task-latency). Idle connections do not hold the process.
 */
function taskclusterClient(): ReturnType<typeof loadTaskclusterClient> {
  if (library) return library;
  library = loadTaskclusterClient();
  // An idle connection is closed after 4 s, before a server's own idle timeout (Node's is 5 s) can race a call
  // sent on it; a run's calls come closer together than that.
  const options = { keepAlive: true, maxSockets: 50, timeout: 4_000 };
  library.default.agents.http = new (nodeHttp().Agent)(options);
  library.default.agents.https = new (nodeHttps().Agent)(options);
  return library;
}

/** A new task id: a "nice" slugid (URL-safe, no leading dash), as taskcluster-client makes them. */
export function newTaskId(): string {
  return taskclusterClient().default.slugid();
}

/** Each service's client, built when first used. */
export function taskclusterClients(rootUrl: string, credentials: Credentials | undefined): TaskclusterClients {
  // `credentials: {}` keeps taskcluster-client from falling back to its global defaults: anonymous means anonymous.
  const options: ClientOptions = { rootUrl, credentials: credentials ?? {}, retries: 0, timeout: REQUEST_TIMEOUT_MS };
  const built: Partial<TaskclusterClients> = {};
  type Library = ReturnType<typeof taskclusterClient>['default'];
  const client = <K extends keyof TaskclusterClients>(service: K, build: (library: Library) => TaskclusterClients[K]): TaskclusterClients[K] =>
    (built[service] ??= (correctSigningClock(), build(taskclusterClient().default)));
  return {
    get auth() { return client('auth', (lib) => new lib.Auth(options)); },
    get hooks() { return client('hooks', (lib) => new lib.Hooks(options)); },
    get index() { return client('index', (lib) => new lib.Index(options)); },
    get notify() { return client('notify', (lib) => new lib.Notify(options)); },
    get purgeCache() { return client('purgeCache', (lib) => new lib.PurgeCache(options)); },
    get queue() { return client('queue', (lib) => new lib.Queue(options)); },
    get secrets() { return client('secrets', (lib) => new lib.Secrets(options)); },
    get workerManager() { return client('workerManager', (lib) => new lib.WorkerManager(options)); },
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
