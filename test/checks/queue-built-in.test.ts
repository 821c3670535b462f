import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInFail, builtInSucceed } from '../../checks/queue-built-in.js';
import {
  completesAfterOnePoll, fakeQueue, insufficientScopesBody, internalErrorBody, runOne, taskStatus,
} from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

describe('queue.built-in-succeed', () => {
  it('creates a hygienic task, waits for it, and measures claim latency from the queue timestamps', async () => {
    const queue = fakeQueue(completesAfterOnePoll);
    const result = await runOne(builtInSucceed);
    expect(result.outcome).toBe('passed');
    const [task] = queue.created;
    expect(result.resources).toEqual([{ type: 'task', id: task!.taskId }]);
    // started - scheduled of the recorded status: 11:32:32.318 - 11:32:31.429
    expect(result.metrics.claim_latency_ms).toEqual({ value: 889, unit: 'ms', limit: 60_000, ok: true });
    expect(result.metrics.resolve_ms!.value).toBe(35);
    const created = task!.definition;
    expect(created).toMatchObject({ taskQueueId: 'built-in/succeed', schedulerId: 'tc-canary', projectId: 'none', payload: {} });
    expect(Date.parse(created.deadline) - Date.parse(created.created)).toBe(10 * 60_000);
    expect(Date.parse(created.expires) - Date.parse(created.created)).toBe(86_400_000);
    expect(created.metadata.name).toContain('queue.built-in-succeed');
    expect(created.tags).toMatchObject({ createdBy: 'tc-canary', 'tc-canary-check': 'queue.built-in-succeed' });
    // Resolved at the end: nothing to cancel.
    expect(queue.canceled).toEqual([]);
  });

  it('fails at once when the task stays pending past the claim SLA, reports the wait, and cancels it', async () => {
    const queue = fakeQueue((task) => taskStatus(task.taskId, 'pending'));
    const started = Date.now();
    // queue.built-in-* poll once a second: the SLA is seen at the second poll.
    const result = await runOne(builtInSucceed, { claimSla: 300 });
    // At once: long before the check's own timeout, whatever the machine's speed.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(/^claim SLA exceeded: pending after \d+(\.\d)?m?s \(limit 300ms\)$/);
    expect(queue.canceled).toEqual([queue.created[0]!.taskId]);
  });

  it.each([
    ['deadline-exceeded', 'exception (deadline-exceeded)'],
    ['malformed-payload', 'exception (malformed-payload)'],
  ])('fails when the task ends exception/%s, saying so', async (reasonResolved, described) => {
    const queue = fakeQueue((task) => taskStatus(task.taskId, 'exception', { reasonResolved }));
    const result = await runOne(builtInSucceed);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`task ${queue.created[0]!.taskId} on built-in/succeed resolved ${described}, expected completed`);
    expect(queue.canceled).toEqual([]);
  });

  it('retries after a 5xx while polling (flaky, not failed), canceling the first attempt\'s task', async () => {
    const queue = fakeQueue((task) => {
      const first = task === queue.created[0];
      if (first && task.polls === 1) return [500, internalErrorBody('status')];
      // The first attempt's task is still pending when its cleanup looks at it.
      return first ? taskStatus(task.taskId, 'pending') : completesAfterOnePoll(task);
    });
    const result = await runOne(builtInSucceed);
    expect(result.outcome).toBe('flaky');
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'passed']);
    expect(result.attempts[0]!.error).toMatchObject({ kind: 'transient', statusCode: 500 });
    expect(queue.created).toHaveLength(2);
    expect(queue.canceled).toEqual([queue.created[0]!.taskId]);
  });

  it('reports a createTask 403 with the missing scope from the error body, without retrying', async () => {
    const queue = fakeQueue(completesAfterOnePoll, {
      createTask: [403, insufficientScopesBody('createTask', 'queue:create-task:project:none', '{"AllOf": ["queue:create-task:project:none"]}')],
    });
    const result = await runOne(builtInSucceed);
    expect(result.outcome).toBe('error');
    expect(result.attempts).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'InsufficientScopes', statusCode: 403, step: 'create task on built-in/succeed' });
    expect(result.error!.message).toMatch(/^createTask \S+ refused \(403 InsufficientScopes\): missing queue:create-task:project:none$/);
    // The cleanup asked for the task's status (404: never created) and canceled nothing.
    expect(queue.canceled).toEqual([]);
  });
});

describe('queue.built-in-fail', () => {
  it('passes when the task resolves failed', async () => {
    fakeQueue((task) => taskStatus(task.taskId, 'failed'));
    const result = await runOne(builtInFail);
    expect(result.outcome).toBe('passed');
  });

  it('fails when the task resolves otherwise, saying how it resolved', async () => {
    fakeQueue(completesAfterOnePoll);
    const result = await runOne(builtInFail);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/resolved completed, expected failed$/);
  });
});
