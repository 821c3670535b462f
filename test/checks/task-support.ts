// A scripted deployment for task checks: nock routes for the queue (and index, secrets, hooks, purge-cache
// where a test adds them) answering with the real v74 response shapes, recording every request made.

import nock from 'nock';
import type { EarlierResults } from '../../src/check/context.js';
import type { AnyCheck } from '../../src/check/define.js';
import type { Clock } from '../../src/clock.js';
import { defaultParams } from '../../src/check/params.js';
import type { CheckResult } from '../../src/check/result.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import type { TaskState, TaskStatus } from '../../src/taskcluster/task-status.js';
import { ROOT_URL, fixture, mockPreflight } from '../support/deployment.js';

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Polls every 20 ms instead of every second, so poll-heavy scenarios stay fast. */
export const FAST_POLL = { pollInterval: 20 };

export interface RunOneOptions {
  scopes?: string[];
  /** The run's clock (the deployment's too: the mocked preflight sends no Date header, so no offset is measured). */
  clock?: Clock;
  earlierResults?: EarlierResults;
}

export async function runOne(check: AnyCheck, params: Record<string, unknown> = {}, options: RunOneOptions = {}): Promise<CheckResult> {
  mockPreflight(options.scopes ? { scopes: options.scopes } : {});
  const run = await runChecks({
    checks: [{ check, params: { ...defaultParams(check.params ?? {}), ...params } }], rootUrl: ROOT_URL,
    credentials: { clientId: 'tester', accessToken: 'token-123456' }, concurrency: 1, reporters: [], redactor: new Redactor(), toolVersion: 'test',
    ...(options.clock ? { clock: options.clock } : {}), ...(options.earlierResults ? { earlierResults: options.earlierResults } : {}),
  });
  return run.checks[0]!;
}

export interface RunTimes {
  scheduled?: number;
  started?: number;
  resolved?: number;
  reasonResolved?: string;
}

/** A queue.status body in the real v74 shape (the recorded built-in/succeed status), for this task and state. */
export function taskStatus(taskId: string, state: TaskState, times: RunTimes = {}): { status: TaskStatus } {
  const body = fixture('task-succeed-status.json');
  const recorded = body.status.runs[0];
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const run: Record<string, unknown> = { runId: 0, state, reasonCreated: recorded.reasonCreated, scheduled: iso(times.scheduled) ?? recorded.scheduled };
  if (state !== 'pending' && state !== 'unscheduled') {
    Object.assign(run, { workerGroup: recorded.workerGroup, workerId: recorded.workerId, takenUntil: recorded.takenUntil, started: iso(times.started) ?? recorded.started });
  }
  if (state === 'completed' || state === 'failed' || state === 'exception') {
    Object.assign(run, { reasonResolved: times.reasonResolved ?? state, resolved: iso(times.resolved) ?? recorded.resolved });
  }
  return { status: { ...body.status, taskId, state, runs: state === 'unscheduled' ? [] : [run] } };
}

export interface CreatedTask {
  taskId: string;
  definition: Record<string, any>;
  /** Status polls answered so far for this task. */
  polls: number;
}

/** What a status poll answers: a body, or an HTTP error as [statusCode, body]. */
export type StatusAnswer = { status: TaskStatus } | [number, Record<string, unknown>];

export interface FakeQueue {
  created: CreatedTask[];
  canceled: string[];
  byId: Map<string, CreatedTask>;
  /** A task created by someone else (the hooks service), from then on answered like the others. */
  adopt(taskId: string): void;
}

/**
 * A queue that accepts createTask (or answers `createTask` when given), answers status polls from `statusOf`
 * (polls of unknown tasks answer 404, as the queue does), and records cancelTask calls.
 */
export function fakeQueue(statusOf: (task: CreatedTask) => StatusAnswer, options: { createTask?: [number, Record<string, unknown>]; cancelTask?: [number, Record<string, unknown>] } = {}): FakeQueue {
  const queue: FakeQueue = {
    created: [], canceled: [], byId: new Map(),
    adopt(taskId) { queue.byId.set(taskId, { taskId, definition: {}, polls: 0 }); },
  };
  const taskIdOf = (uri: string) => decodeURIComponent(uri.split('/')[5]!);
  nock(ROOT_URL).persist()
    .put(/^\/api\/queue\/v1\/task\/[^/]+$/).reply((uri, body) => {
      if (options.createTask) return options.createTask;
      const task: CreatedTask = { taskId: taskIdOf(uri), definition: body as Record<string, any>, polls: 0 };
      queue.created.push(task);
      queue.byId.set(task.taskId, task);
      return [200, taskStatus(task.taskId, (task.definition.dependencies?.length ? 'unscheduled' : 'pending')), JSON_HEADERS];
    })
    .get(/^\/api\/queue\/v1\/task\/[^/]+\/status$/).reply((uri) => {
      const task = queue.byId.get(taskIdOf(uri));
      if (!task) return [404, apiErrorBody('ResourceNotFound', 404, 'status', `\`${taskIdOf(uri)}\` does not correspond to a task that exists.`), JSON_HEADERS];
      task.polls += 1;
      const answer = statusOf(task);
      return Array.isArray(answer) ? [answer[0], answer[1], JSON_HEADERS] : [200, answer, JSON_HEADERS];
    })
    .post(/^\/api\/queue\/v1\/task\/[^/]+\/cancel$/).reply((uri) => {
      const taskId = taskIdOf(uri);
      if (options.cancelTask) return [...options.cancelTask, JSON_HEADERS];
      queue.canceled.push(taskId);
      return [200, taskStatus(taskId, 'exception', { reasonResolved: 'canceled' }), JSON_HEADERS];
    });
  return queue;
}

/**
 * A recorded status (e.g. queue-status-deadline-exceeded.json) made this task's: its taskId and queue, and
 * its last run's times and state replaced where given.
 */
export function recordedStatus(name: string, task: CreatedTask, run: Partial<TaskStatus['runs'][number]> = {}): { status: TaskStatus } {
  const { status } = fixture(name) as { status: TaskStatus };
  const runs = status.runs.map((recorded, index) => (index === status.runs.length - 1 ? { ...recorded, ...run } : recorded));
  return { status: { ...status, taskId: task.taskId, taskQueueId: task.definition.taskQueueId ?? status.taskQueueId, state: runs.at(-1)!.state, runs } };
}

/** Pending at the first poll, then completed with the recorded timings (claim latency 889 ms). */
export function completesAfterOnePoll(task: CreatedTask): StatusAnswer {
  return taskStatus(task.taskId, task.polls === 1 ? 'pending' : 'completed');
}

/** An error body as the v74 API answers it (see the recorded secrets-get-404-error.json): code, message, requestInfo. */
export function apiErrorBody(code: string, statusCode: number, method: string, message: string): Record<string, unknown> {
  const time = new Date().toISOString();
  return {
    code,
    message: `${message}\n\n---\n\n* method:     ${method}\n* errorCode:  ${code}\n* statusCode: ${statusCode}\n* time:       ${time}`,
    requestInfo: { method, params: {}, payload: {}, time },
  };
}

/** A 403 InsufficientScopes body: the missing scopes in the first fenced block, as the service writes it. */
export function insufficientScopesBody(method: string, missing: string, required: string): Record<string, unknown> {
  const fence = '```';
  return apiErrorBody('InsufficientScopes', 403, method,
    `Client ID tester does not have sufficient scopes and is missing the following scopes:\n\n${fence}\n${missing}\n${fence}\n\nThis request requires the client to satisfy the following scope expression:\n\n${fence}\n${required}\n${fence}`);
}

/** A 500 as the v74 API answers an internal error. */
export function internalErrorBody(method: string): Record<string, unknown> {
  return apiErrorBody('InternalServerError', 500, method, 'Internal Server Error, incidentId 0000.');
}
