import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueDeadlineResolver } from '../../checks/queue-deadline-resolver.js';
import { requiredScopes } from '../../src/runner/preflight.js';
import { defaultParams } from '../../src/check/params.js';
import { apiErrorBody, fakeQueue, FAST_POLL, recordedStatus, runOne, type CreatedTask } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const deadlineOf = (task: CreatedTask) => Date.parse(task.definition.deadline);
/** Pending (never claimed) until the deadline resolver acts `lagMs` after the deadline, as the recorded one did (64 s). */
const resolvedAfterDeadline = (lagMs: number) => (task: CreatedTask) => (Date.now() < deadlineOf(task) + lagMs
  ? recordedStatus('queue-status-deadline-exceeded.json', task, { state: 'pending', reasonResolved: undefined, resolved: undefined })
  : recordedStatus('queue-status-deadline-exceeded.json', task, { resolved: new Date(deadlineOf(task) + lagMs).toISOString() }));

describe('queue.deadline-resolver', () => {
  it('creates a task nobody serves with a short deadline and measures the resolver\'s lag from the queue\'s timestamps', async () => {
    const queue = fakeQueue(resolvedAfterDeadline(150));
    const result = await runOne(queueDeadlineResolver, { ...FAST_POLL, deadlineIn: 100 });
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    const [task] = queue.created;
    expect(task!.definition).toMatchObject({ taskQueueId: 'tc-canary/deadline-probe', payload: {}, retries: 0 });
    expect(deadlineOf(task!) - Date.parse(task!.definition.created)).toBe(100);
    expect(result.metrics.deadline_lag_ms).toEqual({ value: 150, unit: 'ms', limit: 180_000, ok: true });
    expect(result.watches).toEqual({ service: 'queue', process: 'deadlineResolver' });
    expect(queue.canceled).toEqual([]);
  });

  it('defaults to a 15s deadline on tc-canary/deadline-probe with a 3m limit, and asks only that queue\'s create-task scope', () => {
    const params = defaultParams(queueDeadlineResolver.params!);
    expect(params).toMatchObject({ taskQueueId: 'tc-canary/deadline-probe', deadlineIn: 15_000, deadlineLagSla: 180_000 });
    expect(JSON.stringify(requiredScopes(queueDeadlineResolver, params))).toContain('queue:create-task:lowest:tc-canary/deadline-probe');
    expect(JSON.stringify(requiredScopes(queueDeadlineResolver, params))).not.toContain('built-in');
  });

  it('fails at once when the task is still pending past the limit, naming the deadline resolver; a cancel refused past the deadline is no cleanup error', async () => {
    const queue = fakeQueue(resolvedAfterDeadline(60_000), { cancelTask: [409, apiErrorBody('RequestConflict', 409, 'cancelTask', 'Task is past its deadline')] });
    const started = Date.now();
    const result = await runOne(queueDeadlineResolver, { ...FAST_POLL, deadlineIn: 100, deadlineLagSla: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(new RegExp(`^deadline resolver: task ${queue.created[0]!.taskId} still pending \\d+ms after its deadline \\(limit 300ms\\)$`));
    // Past the limit by at most one poll (20 ms here) and the machine's scheduling.
    const overdue = Number(/still pending (\d+)ms/.exec(result.error!.message)![1]);
    expect(overdue).toBeGreaterThan(300);
    expect(overdue).toBeLessThan(1_300);
    expect(result.steps.find((step) => step.name.startsWith('cleanup: cancel task'))).toMatchObject({ outcome: 'passed' });
    expect(result.log.map((line) => line.message)).toContainEqual(expect.stringMatching(/is past its deadline .* cannot be canceled/));
  });

  it('fails when a worker claims the task: the queue must have no worker', async () => {
    const queue = fakeQueue((task) => recordedStatus('queue-status-claimed.json', task));
    const result = await runOne(queueDeadlineResolver, { ...FAST_POLL, deadlineIn: 100 });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`task ${queue.created[0]!.taskId} was claimed by tc-canary/claim-probe on tc-canary/deadline-probe, a task queue no worker should serve`);
    expect(queue.canceled).toEqual([queue.created[0]!.taskId]);
  });

  it('fails when the task resolves otherwise than deadline-exceeded, naming the loop and both resolutions', async () => {
    const queue = fakeQueue((task) => recordedStatus('queue-status-deadline-exceeded.json', task, { reasonResolved: 'canceled' }));
    const result = await runOne(queueDeadlineResolver, { ...FAST_POLL, deadlineIn: 100 });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`deadline resolver: task ${queue.created[0]!.taskId} on tc-canary/deadline-probe resolved exception (canceled), expected exception (deadline-exceeded)`);
  });
});
