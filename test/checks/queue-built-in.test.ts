import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInFail, builtInSucceed } from '../../checks/queue-built-in.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, fixture, mockPreflight } from '../support/deployment.js';

const json = { 'content-type': 'application/json' };

function statusWith(taskId: string, name: string) {
  const body = fixture(name);
  body.status.taskId = taskId;
  return body;
}

async function runOne(check: typeof builtInSucceed, params: Record<string, unknown> = {}) {
  const defaults = Object.fromEntries(Object.entries(check.params!).map(([k, spec]) => [k, spec.default]));
  const run = await runChecks({
    checks: [{ check, params: { ...defaults, ...params } }], rootUrl: ROOT_URL, credentials: { clientId: 'c', accessToken: 'token-123456' },
    concurrency: 1, reporters: [], redactor: new Redactor(), toolVersion: 'test',
  });
  return run.checks[0]!;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

describe('queue.built-in-succeed', () => {
  it('creates a hygienic task, waits for it, and measures claim latency from the queue timestamps', async () => {
    mockPreflight();
    let created: any;
    let taskId = '';
    nock(ROOT_URL)
      .put(/\/api\/queue\/v1\/task\/.+/).reply(200, (uri, body) => { taskId = uri.split('/').pop()!; created = body; return statusWith(taskId, 'task-succeed-createTask-response.json'); }, json)
      .get(/\/api\/queue\/v1\/task\/.+\/status/).reply(200, () => statusWith(taskId, 'task-succeed-createTask-response.json'), json)
      .get(/\/api\/queue\/v1\/task\/.+\/status/).times(2).reply(200, () => statusWith(taskId, 'task-succeed-status.json'), json);
    const result = await runOne(builtInSucceed);
    expect(result.outcome).toBe('passed');
    expect(result.resources).toEqual([{ type: 'task', id: taskId }]);
    // started - scheduled of the recorded status: 11:32:32.318 - 11:32:31.429
    expect(result.metrics.claim_latency_ms).toEqual({ value: 889, unit: 'ms', limit: 60_000, ok: true });
    expect(result.metrics.resolve_ms!.value).toBe(35);
    expect(created).toMatchObject({ taskQueueId: 'built-in/succeed', schedulerId: 'tc-canary', projectId: 'none', payload: {} });
    expect(Date.parse(created.deadline) - Date.parse(created.created)).toBe(10 * 60_000);
    expect(Date.parse(created.expires) - Date.parse(created.created)).toBe(86_400_000);
    expect(created.metadata.name).toContain('queue.built-in-succeed');
  });

  it('fails at once when the task stays pending past the claim SLA, and cancels it', async () => {
    mockPreflight();
    let canceled = false;
    nock(ROOT_URL)
      .put(/\/api\/queue\/v1\/task\/.+/).reply(200, (uri) => statusWith(uri.split('/').pop()!, 'task-succeed-createTask-response.json'), json)
      .get(/\/api\/queue\/v1\/task\/.+\/status/).times(20).reply(200, (uri) => statusWith(uri.split('/')[5]!, 'task-succeed-createTask-response.json'), json)
      .post(/\/api\/queue\/v1\/task\/.+\/cancel/).reply(200, (uri) => { canceled = true; return statusWith(uri.split('/')[5]!, 'task-succeed-createTask-response.json'); }, json);
    const started = Date.now();
    const result = await runOne(builtInSucceed, { claimSla: 300 });
    expect(Date.now() - started).toBeLessThan(300 + 1000 + 500);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(/^claim SLA exceeded: pending after/);
    expect(canceled).toBe(true);
  });
});

describe('queue.built-in-fail', () => {
  it('passes when the task resolves failed', async () => {
    mockPreflight();
    nock(ROOT_URL)
      .put(/\/api\/queue\/v1\/task\/.+/).reply(200, (uri) => statusWith(uri.split('/').pop()!, 'task-fail-createTask-response.json'), json)
      .get(/\/api\/queue\/v1\/task\/.+\/status/).times(2).reply(200, (uri) => statusWith(uri.split('/')[5]!, 'task-fail-status.json'), json);
    const result = await runOne(builtInFail);
    expect(result.outcome).toBe('passed');
  });

  it('fails when the task resolves otherwise, saying how it resolved', async () => {
    mockPreflight();
    nock(ROOT_URL)
      .put(/\/api\/queue\/v1\/task\/.+/).reply(200, (uri) => statusWith(uri.split('/').pop()!, 'task-fail-createTask-response.json'), json)
      .get(/\/api\/queue\/v1\/task\/.+\/status/).times(2).reply(200, (uri) => statusWith(uri.split('/')[5]!, 'task-succeed-status.json'), json);
    const result = await runOne(builtInFail);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/resolved completed, expected failed$/);
  });
});
