import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolClaim } from '../../checks/pool-claim.js';
import { defaultParams } from '../../src/check/params.js';
import { satisfiesExpression } from 'taskcluster-lib-scopes';
import { requiredScopes } from '../../src/runner/preflight.js';
import { roleScopes } from '../../src/taskcluster/role-scopes.js';
import { CLOUD_POOL, ROOT_URL, fixture, poolConfig, runPoolChecks } from './deployment.js';

const json = { 'content-type': 'application/json' };
const TASK = /\/api\/queue\/v1\/task\/([^/]+)$/;
const STATUS = /\/api\/queue\/v1\/task\/([^/]+)\/status$/;
const CANCEL = /\/api\/queue\/v1\/task\/([^/]+)\/cancel$/;

/** A recorded status (pending or completed), moved to the pool's queue and the created task's id. */
function statusOf(uri: string, pattern: RegExp, recorded: string) {
  const body = fixture(recorded);
  body.status.taskId = pattern.exec(uri.split('?')[0]!)![1];
  body.status.taskQueueId = CLOUD_POOL;
  return body;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

describe('pool.<taskQueueId>.claim', () => {
  it('runs the minimal generic-worker task on the pool and measures claim and resolve times against the SLAs', async () => {
    let created: any;
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri, body) => { created = body; return statusOf(uri, TASK, 'task-succeed-createTask-response.json'); }, json)
      .get(STATUS).reply(200, (uri) => statusOf(uri, STATUS, 'task-succeed-createTask-response.json'), json)
      .get(STATUS).times(2).reply(200, (uri) => statusOf(uri, STATUS, 'task-succeed-status.json'), json);
    const [check] = poolClaim({ services: [], pools: [poolConfig({ claimSla: 60_000, resolveSla: 120_000 })] });
    const [result] = await runPoolChecks([check!]);
    expect(result!.id).toBe(`pool.${CLOUD_POOL}.claim`);
    expect(result!.outcome).toBe('passed');
    expect(created).toMatchObject({ taskQueueId: CLOUD_POOL, payload: { command: [['/bin/bash', '-c', 'echo tc-canary']], maxRunTime: 60 } });
    // The deadline outlives both SLAs, so the SLA, not the queue's deadline, decides a slow pool.
    expect(Date.parse(created.deadline) - Date.parse(created.created)).toBeGreaterThan(180_000);
    expect(result!.metrics.claim_latency_ms).toEqual({ value: 889, unit: 'ms', limit: 60_000, ok: true });
    expect(result!.metrics.resolve_ms).toEqual({ value: 35, unit: 'ms', limit: 120_000, ok: true });
    // Probes yield to real work by default.
    expect(created.priority).toBe('lowest');
  });

  it('creates the probe at the pool\'s priority, and needs that priority\'s create-task scope', async () => {
    let created: any;
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri, body) => { created = body; return statusOf(uri, TASK, 'task-succeed-createTask-response.json'); }, json)
      // Once while waiting, once by the cleanup that cancels only an unresolved task.
      .get(STATUS).times(2).reply(200, (uri) => statusOf(uri, STATUS, 'task-succeed-status.json'), json);
    const [check] = poolClaim({ services: [], pools: [poolConfig({ priority: 'high' })] });
    const [result] = await runPoolChecks([check!]);
    expect(result!.error).toBeUndefined();
    expect(result!.outcome).toBe('passed');
    expect(created.priority).toBe('high');
    const needed = requiredScopes(check!, defaultParams(check!.params))!;
    const others = ['queue:scheduler-id:tc-canary', 'queue:create-task:project:none', 'queue:status:*', 'queue:cancel-task:tc-canary/*'];
    // The queue takes the scope of the task's priority or of a higher one, and so does the preflight.
    for (const priority of ['high', 'very-high', 'highest']) expect(satisfiesExpression([...others, `queue:create-task:${priority}:${CLOUD_POOL}`], needed), priority).toBe(true);
    expect(satisfiesExpression([...others, `queue:create-task:medium:${CLOUD_POOL}`], needed)).toBe(false);
    // What `tc-canary scopes` tells a role to grant: the task's own priority.
    expect(roleScopes([needed])).toContain(`queue:create-task:high:${CLOUD_POOL}`);
  });

  it('fails at once when no worker claims within the claim SLA, and cancels the task', async () => {
    const canceled: string[] = [];
    let createdId = '';
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri) => { createdId = TASK.exec(uri)![1]!; return statusOf(uri, TASK, 'task-succeed-createTask-response.json'); }, json)
      .get(STATUS).times(20).reply(200, (uri) => statusOf(uri, STATUS, 'task-succeed-createTask-response.json'), json)
      .post(CANCEL).reply(200, (uri) => { canceled.push(CANCEL.exec(uri)![1]!); return statusOf(uri, CANCEL, 'task-succeed-createTask-response.json'); }, json);
    const [check] = poolClaim({ services: [], pools: [poolConfig({ claimSla: 300 })] });
    const started = Date.now();
    const [result] = await runPoolChecks([check!]);
    // At once: long before the check's own timeout, whatever the machine's speed.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result!.outcome).toBe('failed');
    expect(result!.error).toMatchObject({ kind: 'sla' });
    expect(result!.error!.message).toMatch(/^claim SLA exceeded: pending after/);
    expect(canceled).toEqual([createdId]);
    expect(result!.steps.at(-1)).toMatchObject({ name: `cleanup: cancel task ${createdId} if unresolved`, outcome: 'passed' });
  });

  it('past the resolve SLA, fails naming the worker that holds the task, with the claim latency already recorded', async () => {
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri) => statusOf(uri, TASK, 'task-succeed-createTask-response.json'), json)
      // Claimed (the recorded claimed run: started - scheduled = 40 ms, on tc-canary/claim-probe) and never resolved.
      .get(STATUS).times(50).reply(200, (uri) => statusOf(uri, STATUS, 'queue-status-claimed.json'), json)
      .post(CANCEL).reply(200, (uri) => statusOf(uri, CANCEL, 'task-succeed-createTask-response.json'), json);
    const [check] = poolClaim({ services: [], pools: [poolConfig({ resolveSla: 300 })] });
    const [result] = await runPoolChecks([check!]);
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(/^resolve SLA exceeded: running on worker tc-canary\/claim-probe after \d+m?s \(limit 300ms\)$/);
    expect(result!.metrics.claim_latency_ms).toEqual({ value: 40, unit: 'ms', limit: 15 * 60_000, ok: true });
  });

  it('sends the configured payload instead of the minimal one', async () => {
    let created: any;
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri, body) => { created = body; return statusOf(uri, TASK, 'task-succeed-createTask-response.json'); }, json)
      .get(STATUS).times(2).reply(200, (uri) => statusOf(uri, STATUS, 'task-succeed-status.json'), json);
    const payload = { command: ['echo tc-canary'], maxRunTime: 30 };
    const [check] = poolClaim({ services: [], pools: [poolConfig({ payload })] });
    const [result] = await runPoolChecks([check!]);
    expect(result!.outcome).toBe('passed');
    expect(created.payload).toEqual(payload);
  });

  it('fails when the task does not complete, saying how it resolved', async () => {
    nock(ROOT_URL)
      .put(TASK).reply(200, (uri) => statusOf(uri, TASK, 'task-succeed-createTask-response.json'), json)
      .get(STATUS).times(2).reply(200, (uri) => statusOf(uri, STATUS, 'task-fail-status.json'), json);
    const [check] = poolClaim({ services: [], pools: [poolConfig()] });
    const [result] = await runPoolChecks([check!]);
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(new RegExp(`on ${CLOUD_POOL} resolved failed, expected completed$`));
  });
});
