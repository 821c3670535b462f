// The deployment around the Pulse checks: its HTTP side is nock, and when nock sees notify.pulse or
// createTask, the messages the notify and queue services would publish go out on the real test broker
// through FakeTaskclusterPulse. The checks run through the real runner.

import nock, { type ReplyBody, type ReplyFnResult } from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AnyCheck } from '../../src/check/define.js';
import { defaultParams } from '../../src/check/params.js';
import type { CheckResult, RunResult } from '../../src/check/result.js';
import type { PulseAccess } from '../../src/pulse/access.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, fixture, mockPreflight } from '../support/deployment.js';
import { FakeTaskclusterPulse, type TaskEvent } from '../support/fake-taskcluster-pulse.js';
import { services } from '../support/services.js';
import { canaryConnection } from '../pulse/broker.js';

export const NAMESPACE = 'canary';

/** Exactly what the Pulse checks declare for namespace "canary": a role granting these lets them all run. */
export const NAMESPACE_SCOPES = [
  `notify:pulse:${NAMESPACE}.tc-canary.*`,
  'queue:create-task:lowest:built-in/succeed',
  'queue:scheduler-id:tc-canary',
  'queue:create-task:project:none',
  `queue:route:${NAMESPACE}.tc-canary.*`,
  `queue:route:notify.pulse.${NAMESPACE}.tc-canary.*`,
  'hooks:modify-hook:project-tc-canary/*',
  'assume:hook-id:project-tc-canary/*',
  'hooks:status:project-tc-canary/*',
  'queue:status:*',
  'queue:cancel-task:tc-canary/*',
];

const json = { 'content-type': 'application/json' };

export interface BrokerSuite {
  /** Plays the notify and queue services on the broker. */
  taskcluster: FakeTaskclusterPulse;
  /** tc-canary's connection, as the user "canary". */
  pulse: PulseConnection;
  /** How the broker lists that connection, to close it from the broker's side. */
  connectionName: string;
}

/** Opens the suite's two broker connections once and closes them after; nock refuses every unmocked request. */
export function useBroker(): BrokerSuite {
  const suite = {} as BrokerSuite;
  beforeAll(async () => {
    suite.taskcluster = await FakeTaskclusterPulse.connect(services.amqpAdminUrl!);
    const { pulse, name } = canaryConnection(services.amqpUrl!);
    Object.assign(suite, { pulse, connectionName: name });
  });
  afterAll(async () => {
    await suite.pulse?.close();
    // A test may have restarted the broker under it: that connection is gone already.
    await suite.taskcluster?.close().catch(() => undefined);
  });
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });
  return suite;
}

export interface RunOptions {
  pulse?: PulseAccess;
  /** Per check id, on top of its defaults and `namespace: canary`. */
  params?: Record<string, Record<string, unknown>>;
  redactor?: Redactor;
}

export async function runPulseChecks(checks: AnyCheck[], options: RunOptions): Promise<RunResult> {
  mockPreflight({ scopes: NAMESPACE_SCOPES });
  return runChecks({
    checks: checks.map((check) => ({
      check,
      params: { ...defaultParams(check.params ?? {}), namespace: NAMESPACE, ...options.params?.[check.id] },
    })),
    rootUrl: ROOT_URL,
    credentials: { clientId: 'tc-canary-test', accessToken: 'access-token-for-pulse-checks' },
    concurrency: 4,
    reporters: [],
    redactor: options.redactor ?? new Redactor(),
    toolVersion: 'test',
    pulse: options.pulse,
  });
}

export function resultOf(run: RunResult, id: string): CheckResult {
  const result = run.checks.find((check) => check.id === id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}

/** Replies once the messages are on the broker: the real services publish before they answer. */
function replyAfter(publish: () => Promise<unknown>, status: number, body: () => ReplyBody) {
  return (_uri: string, _body: unknown, callback: (error: Error | null, reply: ReplyFnResult) => void) => {
    publish().then(() => callback(null, [status, body(), json]), (error: Error) => callback(error, [500, {}, json]));
  };
}

export interface NotifyCalls {
  /** The request bodies notify.pulse received. */
  requests: { routingKey: string; message: unknown }[];
}

/** notify.pulse; `publish: false` plays a notify service that answers but never publishes. */
export function mockNotifyPulse(taskcluster: FakeTaskclusterPulse, { publish = true } = {}): NotifyCalls {
  const calls: NotifyCalls = { requests: [] };
  nock(ROOT_URL).post('/api/notify/v1/pulse').reply((uri, body, callback) => {
    const request = body as NotifyCalls['requests'][number];
    calls.requests.push(request);
    replyAfter(async () => { if (publish) await taskcluster.notify(request.routingKey, request.message); }, 200, () => '')(uri, body, callback);
  });
  return calls;
}

export interface CreatedTask {
  taskId: string;
  definition: { routes: string[]; schedulerId: string } & Record<string, unknown>;
}

export interface QueueCalls {
  created: CreatedTask[];
}

const ALL_EVENTS: TaskEvent[] = ['task-defined', 'task-pending', 'task-running', 'task-completed'];

/**
 * createTask and queue.status for a built-in/succeed task that runs at once. On createTask the queue's
 * messages are published in the order given (default: all four, as the queue does), with run timestamps of
 * that moment; queue.status then answers the completed task with the same timestamps.
 */
export function mockTaskLifecycle(taskcluster: FakeTaskclusterPulse, { events = ALL_EVENTS } = {}): QueueCalls {
  const calls: QueueCalls = { created: [] };
  const statuses = new Map<string, unknown>();
  nock(ROOT_URL)
    .put(/^\/api\/queue\/v1\/task\/[^/]+$/)
    .reply((uri, body, callback) => {
      const taskId = uri.split('/').pop()!;
      const definition = body as CreatedTask['definition'];
      calls.created.push({ taskId, definition });
      const now = new Date().toISOString();
      statuses.set(taskId, completedStatus(taskId, now));
      const publishAll = async () => {
        for (const event of events) {
          await taskcluster.taskEvent(event, { taskId, routes: definition.routes, schedulerId: definition.schedulerId, scheduled: now, started: now, resolved: now });
        }
      };
      replyAfter(publishAll, 200, () => withTaskId(fixture('task-succeed-createTask-response.json'), taskId) as ReplyBody)(uri, body, callback);
    })
    .get(/^\/api\/queue\/v1\/task\/[^/]+\/status$/)
    .times(10)
    .reply((uri) => [200, statuses.get(uri.split('/')[5]!) as ReplyBody, json]);
  return calls;
}

function withTaskId<T extends { status: { taskId: string } }>(body: T, taskId: string): T {
  body.status.taskId = taskId;
  return body;
}

function completedStatus(taskId: string, at: string) {
  const body = withTaskId(fixture('task-succeed-status.json'), taskId);
  Object.assign(body.status.runs[0], { scheduled: at, started: at, resolved: at });
  return body;
}
