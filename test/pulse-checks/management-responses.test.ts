// What the test broker cannot be made to show on demand (alarms, a second page of queues, rates, an old
// message, a wrong password): the management API is nock, answering with responses recorded from RabbitMQ
// 3.10 (test/fixtures/rabbitmq-3.10/) and changed where a test says so. The checks run through the real runner.

import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pulseBroker } from '../../checks/pulse-broker.js';
import { pulseQueues } from '../../checks/pulse-queues.js';
import type { AnyCheck } from '../../src/check/define.js';
import { defaultParams } from '../../src/check/params.js';
import type { RunResult } from '../../src/check/result.js';
import type { PulseQueueConfig } from '../../src/config/types.js';
import { parseManagementUrl } from '../../src/pulse/management-settings.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, mockPreflight } from '../support/deployment.js';
import { resultOf } from './harness.js';

const BROKER = 'https://pulse.example.test';
const PASSWORD = 'monitor-password-7f3a';
const SETTINGS = parseManagementUrl(`${BROKER.replace('https://', `https://monitor:${PASSWORD}@`)}/`, 'communitytc');
const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const json = { 'content-type': 'application/json' };

function recorded<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/rabbitmq-3.10/${name}`, import.meta.url), 'utf8')) as T;
}

function queueCheck(entry: Partial<PulseQueueConfig>): AnyCheck {
  return pulseQueues({ services: [], pools: [], pulseQueues: [{ name: 'fixture', pattern: 'queue/canary/pulse-mgmt-fixture/*', minConsumers: 0, ...entry }] })[0]!;
}

async function run(check: AnyCheck, params: Record<string, unknown> = {}): Promise<RunResult> {
  mockPreflight({ scopes: [] });
  return runChecks({
    checks: [{ check, params: { ...defaultParams(check.params ?? {}), ...params } }],
    rootUrl: ROOT_URL,
    credentials: { clientId: 'tc-canary-test', accessToken: 'access-token-for-management-responses' },
    concurrency: 1,
    reporters: [],
    redactor: new Redactor(),
    toolVersion: 'test',
    pulseManagement: SETTINGS,
    clock: { now: () => NOW },
  });
}

/** The queue pages as recorded, each changed by `edit`. */
function mockQueuePages(edit: (page: any) => void = () => undefined): { queries: Record<string, string>[]; authorizations: string[] } {
  const seen = { queries: [] as Record<string, string>[], authorizations: [] as string[] };
  for (const page of [1, 2]) {
    const body = recorded(`queues-page-${page}.json`);
    edit(body);
    nock(BROKER).get('/api/queues/communitytc').query((query) => query.page === String(page)).reply(function reply() {
      seen.queries.push(Object.fromEntries(new URL(this.req.path, BROKER).searchParams));
      seen.authorizations.push(String(this.req.headers.authorization));
      return [200, body, json];
    });
  }
  return seen;
}

function mockBroker(editNodes: (nodes: any[]) => void = () => undefined): void {
  const nodes = recorded<any[]>('nodes.json');
  editNodes(nodes);
  nock(BROKER).get('/api/overview').query(true).reply(200, recorded('overview.json'), json).get('/api/nodes').query(true).reply(200, nodes, json);
}

describe('the management API as recorded', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('reads every page of the matching queues, filtered by the broker with the pattern as an anchored expression', async () => {
    const seen = mockQueuePages();
    const result = resultOf(await run(queueCheck({})), 'pulse.queue.fixture');
    expect(result.outcome, JSON.stringify(result.error)).toBe('passed');
    expect(seen.queries.map((query) => query.page)).toEqual(['1', '2']);
    expect(seen.queries[0]).toMatchObject({ page_size: '500', sort: 'name', name: '^queue\\/canary\\/pulse-mgmt-fixture\\/.*$', use_regex: 'true' });
    expect(seen.authorizations[0]).toBe(`Basic ${Buffer.from(`monitor:${PASSWORD}`).toString('base64')}`);
    expect(['a', 'b', 'c'].map((queue) => result.metrics[`queue/canary/pulse-mgmt-fixture/${queue}.messages`]?.value)).toEqual([5, 10, 15]);
  });

  it('keeps only the names the pattern matches, whatever the broker answered', async () => {
    mockQueuePages((page) => {
      if (page.page === 2) page.items.push({ ...page.items[0], name: 'queue/canary/pulse-mgmt-fixtures-other' });
    });
    const result = resultOf(await run(queueCheck({})), 'pulse.queue.fixture');
    expect(Object.keys(result.metrics).filter((name) => name.endsWith('.messages'))).toHaveLength(3);
  });

  it('records the drain ETA of a queue that drains, and fails one whose oldest message is older than maxMessagesAge', async () => {
    mockQueuePages((page) => {
      for (const item of page.items) {
        item.messages = 500;
        item.message_stats = { publish_details: { rate: 2 }, deliver_get_details: { rate: 12 } };
        item.head_message_timestamp = (NOW - 10 * 60_000) / 1000;
      }
    });
    const result = resultOf(await run(queueCheck({ maxMessagesAge: 5 * 60_000 })), 'pulse.queue.fixture');
    const a = 'queue/canary/pulse-mgmt-fixture/a';
    expect(result.metrics[`${a}.drain_eta_s`]).toEqual({ value: 50, unit: 's' });
    expect(result.metrics[`${a}.publish_rate`]).toEqual({ value: 2, unit: 'msg/s' });
    expect(result.metrics[`${a}.deliver_rate`]).toEqual({ value: 12, unit: 'msg/s' });
    expect(result.metrics[`${a}.oldest_message_s`]).toEqual({ value: 600, unit: 's', limit: 300, ok: false });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message.split('; ')).toEqual(['a', 'b', 'c'].map((queue) => `queue "queue/canary/pulse-mgmt-fixture/${queue}": its oldest message is 10m old (limit 5m)`));
  });

  it('is an error, not a skip, when the login itself is refused, and the password appears nowhere', async () => {
    nock(BROKER).get('/api/overview').query(true).reply(401, recorded('login-failed.json'), json);
    const run_ = await run(pulseBroker);
    const result = resultOf(run_, 'pulse.broker');
    expect(result.outcome).toBe('error');
    expect(result.error!.message).toBe('the management API at https://monitor:***@pulse.example.test/ refused the login of user "monitor": wrong user or password (401 Login failed)');
    expect(JSON.stringify(run_)).not.toContain(PASSWORD);
  });

  it('passes pulse.broker with headroom, and records the versions', async () => {
    mockBroker();
    const result = resultOf(await run(pulseBroker), 'pulse.broker');
    expect(result.outcome).toBe('passed');
    expect(result.metrics).toEqual({
      memory_used_pct: { value: 1.4, unit: '%', limit: 80, ok: true },
      disk_limit_pct: { value: 0.1, unit: '%', limit: 80, ok: true },
      fd_used: { value: 40, unit: 'count' },
      sockets_used: { value: 0, unit: 'count' },
      connections: { value: 0, unit: 'count' },
      channels: { value: 0, unit: 'count' },
    });
    expect(result.log.map((line) => line.message)).toEqual([
      'RabbitMQ 3.10.8 on Erlang 25.2.3, cluster rabbit@vm',
      'node rabbit@vm: memory 135.6 MiB of its 9.4 GiB high watermark (1.4 %), free disk 74.5 GiB, alarm below 47.7 MiB (0.1 %), 40 of 1024 file descriptors, 0 of 832 sockets',
    ]);
  });

  it('fails pulse.broker on memory and disk alarms, naming the node', async () => {
    mockBroker(([node]) => Object.assign(node, { mem_alarm: true, mem_used: node.mem_limit + 1, disk_free_alarm: true, disk_free: node.disk_free_limit - 1 }));
    const result = resultOf(await run(pulseBroker), 'pulse.broker');
    expect(result.outcome).toBe('failed');
    expect(result.error!.kind).toBe('sla');
    expect(result.error!.message).toBe('memory alarm on node rabbit@vm: it blocks publishers (100 % of its high watermark used); disk alarm on node rabbit@vm: it blocks publishers (47.7 MiB free, below its limit)');
  });

  it('fails pulse.broker before the alarms, at the warning limits, naming the worst node of a cluster', async () => {
    mockBroker((nodes) => {
      const healthy = nodes[0];
      nodes.push({ ...healthy, name: 'rabbit@b', mem_used: Math.round(healthy.mem_limit * 0.85), disk_free: healthy.disk_free_limit * 1.1 });
    });
    const result = resultOf(await run(pulseBroker, { maxDiskLimit: 90 }), 'pulse.broker');
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe('node rabbit@b uses 85 % of its memory high watermark (limit 80 %); node rabbit@b has 52.5 MiB free disk, its alarm limit 47.7 MiB is 90.9 % of it (limit 90 %)');
    expect(result.metrics.memory_used_pct).toEqual({ value: 85, unit: '%', limit: 80, ok: false });
    expect(result.metrics.disk_limit_pct).toEqual({ value: 90.9, unit: '%', limit: 90, ok: false });
  });

  it('fails on a node that is down or partitioned', async () => {
    mockBroker((nodes) => {
      nodes[0].partitions = ['rabbit@b'];
      nodes.push({ name: 'rabbit@b', running: false, partitions: [] });
    });
    const result = resultOf(await run(pulseBroker), 'pulse.broker');
    expect(result.error!.message).toBe('node rabbit@vm cannot reach rabbit@b (a network partition); node rabbit@b is not running');
    expect(result.log.map((line) => line.message)).toContain('node rabbit@b: not running');
  });

  it('retries a 503 from the management API as a transient error', async () => {
    nock(BROKER).get('/api/overview').query(true).twice().reply(503, 'Service Unavailable');
    const result = resultOf(await run(pulseBroker), 'pulse.broker');
    expect(result.outcome).toBe('error');
    expect(result.attempts.map((attempt) => attempt.error?.kind)).toEqual(['transient', 'transient']);
  });
});

describe('without a management API configured', () => {
  it('skips the checks that need it, saying how to configure it', async () => {
    mockPreflight({ scopes: [] });
    const run_ = await runChecks({
      checks: [{ check: pulseBroker, params: defaultParams(pulseBroker.params ?? {}) }],
      rootUrl: ROOT_URL,
      credentials: undefined,
      concurrency: 1,
      reporters: [],
      redactor: new Redactor(),
      toolVersion: 'test',
    });
    expect(resultOf(run_, 'pulse.broker')).toMatchObject({ outcome: 'skipped', skipReason: 'no Pulse management API configured (set pulse.managementUrl in the config)' });
    nock.cleanAll();
  });
});
