import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueDependencies } from '../../checks/queue-dependencies.js';
import { FAST_POLL, fakeQueue, runOne, taskStatus, type CreatedTask, type FakeQueue } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const BASE = Date.parse('2026-11-29T11:32:31.429Z');

/** Each task of the chain runs 100 ms; child i is scheduled `lags[i - 1]` ms after its parent resolved. */
function chain(queue: () => FakeQueue, lags: number[]) {
  return (task: CreatedTask) => {
    const index = queue().created.indexOf(task);
    let scheduled = BASE;
    for (let i = 0; i < index; i++) scheduled += 100 + lags[i]!;
    return taskStatus(task.taskId, 'completed', { scheduled, started: scheduled + 20, resolved: scheduled + 100 });
  };
}

describe('queue.dependencies', () => {
  it('creates a chain of three dependent tasks in one group and measures the worst dependency lag', async () => {
    const queue: FakeQueue = fakeQueue(chain(() => queue, [50, 80]));
    const result = await runOne(queueDependencies, FAST_POLL);
    expect(result.outcome).toBe('passed');
    const [first, second, third] = queue.created;
    expect(first!.definition.dependencies).toEqual([]);
    expect(first!.definition.taskGroupId).toBeUndefined();
    expect(second!.definition).toMatchObject({ dependencies: [first!.taskId], taskGroupId: first!.taskId, requires: 'all-completed' });
    expect(third!.definition).toMatchObject({ dependencies: [second!.taskId], taskGroupId: first!.taskId });
    expect(result.metrics.dependency_lag_ms).toEqual({ value: 80, unit: 'ms', limit: 60_000, ok: true });
    expect(result.resources.map((resource) => resource.id)).toEqual(queue.created.map((task) => task.taskId));
  });

  it('fails when the dependency resolver is slower than the limit, saying by how much', async () => {
    const queue: FakeQueue = fakeQueue(chain(() => queue, [50, 5_000]));
    const result = await runOne(queueDependencies, { ...FAST_POLL, dependencyLagSla: 1_000 });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toContain('dependency_lag_ms 5000 ms > limit 1000');
  });

  it('fails when a parent does not complete, and cancels the children that can never run', async () => {
    const queue = fakeQueue((task) => (task === queue.created[0]
      ? taskStatus(task.taskId, 'failed')
      : taskStatus(task.taskId, 'unscheduled')));
    const result = await runOne(queueDependencies, FAST_POLL);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`task ${queue.created[0]!.taskId} (1 of 3) on built-in/succeed resolved failed, expected completed`);
    expect(queue.canceled.sort()).toEqual([queue.created[1]!.taskId, queue.created[2]!.taskId].sort());
  });

  it('fails at once when a child stays unscheduled past the limit after its parent resolved, naming the dependency resolver, and cancels it', async () => {
    // The parent resolved just now on the deployment's clock: the limit counts from that timestamp.
    const resolvedAt = Date.now();
    const queue = fakeQueue((task) => (task === queue.created[0]
      ? taskStatus(task.taskId, 'completed', { scheduled: resolvedAt - 900, started: resolvedAt - 100, resolved: resolvedAt })
      : taskStatus(task.taskId, 'unscheduled')));
    const started = Date.now();
    const result = await runOne(queueDependencies, { ...FAST_POLL, dependencyLagSla: 200 });
    // At once: long before the check's own timeout, whatever the machine's speed.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/^dependency resolver: task \S+ still unscheduled \d+(\.\d)?m?s after task 1 of 3 resolved \(limit 200ms\)$/);
    expect(result.error!.message).toContain(queue.created[1]!.taskId);
    expect(result.error!.step).toBe(`wait for task ${queue.created[1]!.taskId} (2 of 3) to resolve`);
    expect(queue.canceled.sort()).toEqual([queue.created[1]!.taskId, queue.created[2]!.taskId].sort());
  });
});
