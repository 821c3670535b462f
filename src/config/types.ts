// The validated configuration. Values that may hold secrets (URLs with passwords, ${VAR} references) stay
// as written until used: see ./placeholders.ts.

import type { RetentionPolicy } from '../history/store.js';
import type { TaskPriority } from '../taskcluster/priority.js';
import type { AlertsConfig } from './alerts.js';
import type { CompareConfig } from './compare.js';
import type { MaintenanceWindowConfig } from './maintenance.js';

export const ALL_SERVICES = [
  'auth', 'github', 'hooks', 'index', 'notify', 'object', 'purge-cache', 'queue', 'secrets', 'web-server', 'worker-manager',
] as const;

export const WORKER_IMPLEMENTATIONS = ['generic-worker', 'docker-worker', 'd2g', 'none'] as const;
export type WorkerImplementation = (typeof WORKER_IMPLEMENTATIONS)[number];

export interface PoolConfig {
  taskQueueId: string;
  implementation: WorkerImplementation;
  /** Replaces the implementation's minimal payload (e.g. a Windows generic-worker command). */
  payload?: Record<string, unknown>;
  claimSla: number;
  resolveSla: number;
  maxPending: number;
  maxPendingAge?: number;
  maxErrors: number;
  errorWindow: number;
  scannerMaxAge: number;
  schedule?: string;
  /** The claim probe task's priority; default lowest. */
  priority?: TaskPriority;
}

export interface PulseConfig {
  /** amqp(s)://user:password@host[:port]/vhost, usually a ${PULSE_URL} reference; absent: env PULSE_URL. */
  url?: string;
  namespace?: string;
  publishResults: boolean;
  /** http(s)://user:password@host[:port][/prefix]: where the broker's management HTTP API is; a secret like url. */
  managementUrl?: string;
  /** Queues watched through the management API, one check (pulse.queue.<name>) each. */
  queues: PulseQueueConfig[];
}

export interface PulseQueueConfig {
  /** The check is pulse.queue.<name>: the `name` key, else the pattern with what a check id cannot hold replaced. */
  name: string;
  /** A glob over the queue names of the Pulse vhost: `*` matches any characters, `/` included. */
  pattern: string;
  /** The vhost the queues are on; absent: the Pulse URL's vhost, else "/". */
  vhost?: string;
  maxMessages?: number;
  /** Milliseconds; judged when the broker knows when the oldest message was published. */
  maxMessagesAge?: number;
  minConsumers: number;
  /** Milliseconds a queue may grow at every run before it fails; judged across runs from the history. */
  maxGrowth?: number;
}

export interface ChecksConfig {
  include: string[];
  exclude: string[];
  /** checks.params.<check id>.<param>: raw values, validated against each check's declared params. */
  params: Record<string, Record<string, unknown>>;
  /** checks.schedules.<pattern>: a cron expression overriding the matching checks' schedule. */
  schedules: Record<string, string>;
}

export interface Config {
  /** The file it came from, when it came from one. */
  file?: string;
  rootUrl?: string;
  services: string[];
  concurrency: number;
  checks: ChecksConfig;
  /** A folder of extra check files (.js/.mjs), resolved against the config file's folder. */
  checksDir?: string;
  pools: PoolConfig[];
  pulse?: PulseConfig;
  /** sqlite:PATH or postgres://... */
  history?: string;
  /** How long the history keeps results and aggregates; absent: DEFAULT_RETENTION, and `run` prunes nothing. */
  retention?: RetentionPolicy;
  /** Absent: no alerts are sent. */
  alerts?: AlertsConfig;
  maintenance: MaintenanceWindowConfig[];
  /** How versions are compared (`tc-canary compare`, `run --compare`); absent: defaultCompareConfig(). */
  compare?: CompareConfig;
}

export const DEFAULT_CONCURRENCY = 8;

export function defaultConfig(): Config {
  return {
    services: [...ALL_SERVICES],
    concurrency: DEFAULT_CONCURRENCY,
    checks: { include: [], exclude: [], params: {}, schedules: {} },
    pools: [],
    maintenance: [],
  };
}
