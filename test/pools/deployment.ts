// A nock-mocked deployment with worker pools, answering with the real v74 worker-manager and queue responses
// (test/fixtures/taskcluster-v74/wm-*.json, queue-*.json), adapted per scenario. Calls that v74 lacks
// (workerPoolStats) or that the recording never hit are built to the shapes of Taskcluster's own schemas.

import nock from 'nock';
import type { EarlierResults } from '../../src/check/context.js';
import type { AnyCheck } from '../../src/check/define.js';
import { defaultParams } from '../../src/check/params.js';
import type { CheckResult } from '../../src/check/result.js';
import { POOL_DEFAULTS } from '../../src/config/parse.js';
import type { PoolConfig } from '../../src/config/types.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, fixture, mockPreflight } from '../support/deployment.js';

export { ROOT_URL, fixture };

const json = { 'content-type': 'application/json' };
const WM = '/api/worker-manager/v1';
const QUEUE = '/api/queue/v1';

/** A cloud pool (its provider is google) and the static pool the v74 fixtures recorded. */
export const CLOUD_POOL = 'proj-canary/linux';
export const CLOUD_PROVIDER = 'community-gcp';
export const STATIC_POOL = fixture('wm-workerPool.json').workerPoolId as string;

export function poolConfig(overrides: Partial<PoolConfig> = {}): PoolConfig {
  return { taskQueueId: CLOUD_POOL, implementation: 'generic-worker', ...POOL_DEFAULTS, ...overrides };
}

export const isoAgo = (ms: number): string => new Date(Date.now() - ms).toISOString();
const path = (prefix: string, id: string, suffix = '') => `${prefix}/${encodeURIComponent(id)}${suffix}`;

/** Runs checks against the mocked deployment, each with its default params plus `params`. */
export async function runPoolChecks(checks: AnyCheck[], params: Record<string, unknown> = {}, options: { anonymous?: boolean; scopes?: string[]; earlierResults?: EarlierResults } = {}): Promise<CheckResult[]> {
  mockPreflight(options.scopes ? { scopes: options.scopes } : {});
  const run = await runChecks({
    checks: checks.map((check) => ({ check, params: { ...defaultParams(check.params ?? {}), ...params } })),
    rootUrl: ROOT_URL,
    credentials: options.anonymous ? undefined : { clientId: 'tester', accessToken: 'token-123456' },
    concurrency: 8, reporters: [], redactor: new Redactor(), toolVersion: 'test', earlierResults: options.earlierResults,
  });
  return run.checks;
}

/** The recorded pool as `workerPoolId` on `providerId`; `capacity` adds the min/maxCapacity (and scalingRatio) a cloud pool's config has. */
export function mockWorkerPool(workerPoolId: string, providerId: string | 404, capacity?: { maxCapacity: number; scalingRatio?: number }): nock.Scope {
  const scope = nock(ROOT_URL).persist();
  if (providerId === 404) {
    return scope.get(path(`${WM}/worker-pool`, workerPoolId)).reply(404, { code: 'ResourceNotFound', message: 'Worker pool does not exist' }, json);
  }
  const recorded = fixture('wm-workerPool.json');
  const config = capacity ? { ...recorded.config, minCapacity: 0, ...capacity } : recorded.config;
  return scope.get(path(`${WM}/worker-pool`, workerPoolId)).reply(200, { ...recorded, workerPoolId, providerId, config }, json);
}

export function mockProviders(): nock.Scope {
  // provider-list.yml: {providers: [{providerId, providerType}]}; the static one is the recorded pool's.
  return nock(ROOT_URL).persist().get(`${WM}/providers`).reply(200, {
    providers: [{ providerId: CLOUD_PROVIDER, providerType: 'google' }, { providerId: 'static', providerType: 'static' }],
  }, json);
}

/** queue.taskQueueCounts, as the recorded pendingTasks answer plus the claimed count; 404 where it is missing. */
export function mockCounts(taskQueueId: string, pending: number | 404, claimed = 0): nock.Scope {
  const scope = nock(ROOT_URL).persist();
  const [provisionerId, workerType] = taskQueueId.split('/');
  if (pending === 404) return scope.get(path(QUEUE + '/task-queues', taskQueueId, '/counts')).reply(404, { code: 'ResourceNotFound', message: 'no such method' }, json);
  return scope.get(path(QUEUE + '/task-queues', taskQueueId, '/counts'))
    .reply(200, { ...fixture('queue-pendingTasks-built-in-succeed.json'), provisionerId, workerType, taskQueueId, pendingTasks: pending, claimedTasks: claimed }, json);
}

/** The older queue.pendingTasks, as recorded. */
export function mockPendingTasks(taskQueueId: string, pending: number): nock.Scope {
  const [provisionerId, workerType] = taskQueueId.split('/');
  return nock(ROOT_URL).persist().get(path(`${QUEUE}/pending`, taskQueueId))
    .reply(200, { ...fixture('queue-pendingTasks-built-in-succeed.json'), provisionerId, workerType, taskQueueId, pendingTasks: pending }, json);
}

/** queue.listPendingTasks?limit=1: the oldest pending task, inserted `ageMs` ago (none when undefined). */
export function mockOldestPending(taskQueueId: string, ageMs: number | undefined | 404): nock.Scope {
  const scope = nock(ROOT_URL).persist().get(path(QUEUE + '/task-queues', taskQueueId, '/pending')).query({ limit: 1 });
  if (ageMs === 404) return scope.reply(404, { code: 'ResourceNotFound', message: 'no such method' }, json);
  const tasks = ageMs === undefined ? [] : [{ taskId: 'Nvx5e65rQ32ySmVAmDNoQA', runId: 0, task: { ...fixture('task-succeed-definition.json'), taskQueueId }, inserted: isoAgo(ageMs) }];
  return scope.reply(200, { tasks }, json);
}

/** worker-manager.workerPoolStats (newer deployments; worker-pool-stats.yml), or the 404 a v74 deployment answers. */
export function mockStats(workerPoolId: string, capacity: { requested: number; running: number; stopping?: number } | 404): nock.Scope {
  const scope = nock(ROOT_URL).persist().get(path(`${WM}/worker-pool`, workerPoolId, '/stats'));
  if (capacity === 404) return scope.reply(404, { code: 'ResourceNotFound', message: 'Worker pool does not exist' }, json);
  const counts = fixture('wm-workerPool.json');
  return scope.reply(200, {
    launchConfigStats: [{
      workerPoolId, launchConfigId: 'lc-1', currentCapacity: capacity.requested + capacity.running,
      requestedCapacity: capacity.requested, runningCapacity: capacity.running, stoppingCapacity: capacity.stopping ?? counts.stoppingCapacity, stoppedCapacity: counts.stoppedCapacity,
      requestedCount: capacity.requested, runningCount: capacity.running, stoppingCount: counts.stoppingCount, stoppedCount: counts.stoppedCount,
    }],
  }, json);
}

/** A worker as the v74 listing recorded it, in `pool`, last checked `checkedAgoMs` ago. */
export function worker(workerPoolId: string, providerId: string, workerId: string, checkedAgoMs: number, state = 'running'): Record<string, unknown> {
  return { ...fixture('wm-listWorkersForWorkerPool.json').workers[0], workerPoolId, providerId, workerId, state, lastChecked: isoAgo(checkedAgoMs) };
}

/** listWorkersForWorkerPool?state=…; `pages` splits the workers over continuation tokens. */
export function mockWorkers(workerPoolId: string, state: string, workers: Record<string, unknown>[], pages = 1): nock.Scope {
  const scope = nock(ROOT_URL).persist();
  const size = Math.max(1, Math.ceil(workers.length / pages));
  for (let page = 0; page < pages; page += 1) {
    const query: Record<string, string> = page === 0 ? { state } : { state, continuationToken: String(page) };
    const body: Record<string, unknown> = { workers: workers.slice(page * size, (page + 1) * size) };
    if (page + 1 < pages) body.continuationToken = String(page + 1);
    scope.get(path(`${WM}/workers`, workerPoolId)).query(query).reply(200, body, json);
  }
  return scope;
}

/** A worker pool error (worker-pool-error.yml), reported `agoMs` ago. */
export function poolError(workerPoolId: string, title: string, agoMs: number): Record<string, unknown> {
  return { workerPoolId, errorId: `e${agoMs}`, reported: isoAgo(agoMs), kind: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'), title, description: `${title} (test)`, extra: {} };
}

/** listWorkerPoolErrors, newest first as worker-manager lists them; empty is the recorded answer. */
export function mockErrors(workerPoolId: string, errors: Record<string, unknown>[] = fixture('wm-listWorkerPoolErrors.json').workerPoolErrors): nock.Scope {
  return nock(ROOT_URL).persist().get(path('/api/worker-manager/v1/worker-pool-errors', workerPoolId)).reply(200, { workerPoolErrors: errors }, json);
}
