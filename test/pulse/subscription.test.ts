// Subscriptions against the real broker: the canary user (Pulse-like permissions) listens, the admin user
// plays Taskcluster and publishes fixture-shaped messages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssertionFailure, TransientError } from '../../src/check/errors.js';
import { canaryRoute, TASKCLUSTER_EXCHANGES } from '../../src/pulse/names.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import type { PulseMessage } from '../../src/pulse/access.js';
import { FakeTaskclusterPulse, type TaskEvent } from '../support/fake-taskcluster-pulse.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, deleteQueueFromBroker, failure, nonce, queueNames } from './broker.js';

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('Pulse subscriptions on a real broker', () => {
  let pulse: PulseConnection;
  let taskcluster: FakeTaskclusterPulse;
  let ticks = 0;
  const clock = { now: () => 1_000_000 + ++ticks };

  beforeAll(async () => {
    taskcluster = await FakeTaskclusterPulse.connect(services.amqpAdminUrl!);
    pulse = canaryConnection(services.amqpUrl!, { clock }).pulse;
  });
  afterAll(async () => {
    await pulse?.close();
    await taskcluster?.close();
  });

  const wait = { timeoutMs: 5000 };

  it('receives a notify.pulse message through its CC route on a queue named under the namespace', async () => {
    const id = nonce();
    const route = canaryRoute(pulse.namespace, id);
    const sub = await pulse.subscribe({
      check: 'pulse.notify-roundtrip',
      nonce: id,
      bindings: [{ exchange: TASKCLUSTER_EXCHANGES.notification, routingKeyPattern: `route.${route}` }],
    });
    expect(sub.queue).toBe(`queue/canary/tc-canary/pulse.notify-roundtrip/${id}`);
    expect(await queueNames()).toContain(sub.queue);

    // Read before publishing: the consumer may stamp the message before notify() returns.
    const before = clock.now();
    const sent = await taskcluster.notify(route, { nonce: id, sentAt: '2026-11-29T11:32:34.869Z' });
    const message = await sub.next((m) => (m.body as any).message.nonce === id, { ...wait, description: 'the notification' });

    expect(message).toMatchObject({
      exchange: TASKCLUSTER_EXCHANGES.notification,
      routingKey: `primary.${route}`,
      cc: [`route.${route}`],
      body: { version: 1, message: { nonce: id, sentAt: '2026-11-29T11:32:34.869Z' } },
      sequence: 0,
    });
    expect(message.body).toEqual(sent.body);
    expect(message.receivedAt).toBeGreaterThan(before);
    expect(message.receivedAt).toBeLessThan(clock.now());

    await sub.close();
    expect(await queueNames()).not.toContain(sub.queue);
  });

  it('delivers the four task events of a task, in order, with the task\'s run and status', async () => {
    const id = nonce();
    const route = canaryRoute(pulse.namespace, id);
    const events: TaskEvent[] = ['task-defined', 'task-pending', 'task-running', 'task-completed'];
    const sub = await pulse.subscribe({
      check: 'pulse.task-events',
      nonce: id,
      bindings: events.map((event) => ({ exchange: `exchange/taskcluster-queue/v1/${event}`, routingKeyPattern: `route.${route}` })),
    });
    const task = { taskId: `task-${id}`, routes: [route], scheduled: '2026-11-29T11:32:31.429Z', started: '2026-11-29T11:32:32.318Z', resolved: '2026-11-29T11:32:32.353Z' };
    // Another task's event on the same route must not be taken for ours.
    await taskcluster.taskEvent('task-defined', { ...task, taskId: 'someone-elses-task' });
    for (const event of events) await taskcluster.taskEvent(event, task);

    const ofTask = (event: TaskEvent) => (m: PulseMessage) => m.exchange.endsWith(event) && (m.body as any).status.taskId === task.taskId;
    // Asked for in reverse: each is found among what has arrived, and arrival order is kept in `sequence`.
    const received: PulseMessage[] = [];
    for (const event of [...events].reverse()) received.unshift(await sub.next(ofTask(event), { ...wait, description: `the ${event} message` }));

    expect(received.map((m) => m.sequence)).toEqual([1, 2, 3, 4]);
    expect(received.map((m) => (m.body as any).status.state)).toEqual(['unscheduled', 'pending', 'running', 'completed']);
    expect(received[3]!.routingKey).toBe(`primary.${task.taskId}.0.built-in.succeed.built-in.succeed.tc-canary.${task.taskId}._`);
    expect((received[3]!.body as any).status.runs[0]).toMatchObject({ runId: 0, scheduled: task.scheduled, started: task.started, resolved: task.resolved });
    expect(received.slice(1).map((m) => (m.body as any).runId)).toEqual([0, 0, 0]);
    await sub.close();
  });

  it('fails with an assertion naming the missing message, the queue and its binding', async () => {
    const id = nonce();
    const sub = await pulse.subscribe({
      check: 'pulse.task-events',
      nonce: id,
      bindings: [{ exchange: TASKCLUSTER_EXCHANGES.taskRunning, routingKeyPattern: `route.${canaryRoute('canary', id)}` }],
    });
    const started = Date.now();
    const error = await failure(sub.next(() => true, { timeoutMs: 300, description: `the task-running message for task T-${id}` }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(AssertionFailure);
    expect(error.message).toBe(
      `the task-running message for task T-${id} did not arrive within 300ms on queue "${sub.queue}" ` +
        `(bound to exchange/taskcluster-queue/v1/task-running with "route.canary.tc-canary.${id}")`,
    );
    await sub.close();
  });

  it('stops waiting with the signal\'s reason when the check is aborted', async () => {
    const id = nonce();
    const sub = await pulse.subscribe({ check: 'abort', nonce: id, bindings: [{ exchange: TASKCLUSTER_EXCHANGES.notification, routingKeyPattern: `route.${id}` }] });
    const controller = new AbortController();
    const reason = new Error('check timed out');
    const waiting = sub.next(() => true, { timeoutMs: 60_000, description: 'anything', signal: controller.signal });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await sub.close();
  });

  it('deletes the queue it declared when a binding fails, leaving nothing behind', async () => {
    const id = nonce();
    const error = await failure(
      pulse.subscribe({
        check: 'failed-bind',
        nonce: id,
        bindings: [
          { exchange: TASKCLUSTER_EXCHANGES.notification, routingKeyPattern: `route.${id}` },
          { exchange: 'exchange/does-not-exist/v1/nothing', routingKeyPattern: '#' },
        ],
      }),
    );
    expect(error.message).toMatch(/could not bind queue "queue\/canary\/tc-canary\/failed-bind\/.*" to exchange "exchange\/does-not-exist\/v1\/nothing" with "#" \(404 NOT_FOUND: NOT_FOUND - no exchange/);
    expect((await queueNames()).filter((name) => name.includes(id))).toEqual([]);
  });

  it('gives up subscribing when the check is aborted, removing the queue it declared', async () => {
    const id = nonce();
    const controller = new AbortController();
    const reason = new Error('check timed out');
    controller.abort(reason);
    const subscribing = pulse.subscribe({ check: 'aborted', nonce: id, signal: controller.signal, bindings: [{ exchange: TASKCLUSTER_EXCHANGES.notification, routingKeyPattern: `route.${id}` }] });
    await expect(subscribing).rejects.toBe(reason);
    expect((await queueNames()).filter((name) => name.includes(id))).toEqual([]);
  });

  it('reports a queue deleted under it as transient, naming the queue', async () => {
    const id = nonce();
    const sub = await pulse.subscribe({ check: 'deleted', nonce: id, bindings: [] });
    // Generous: rabbitmqctl boots an Erlang VM; the deleted queue settles the wait long before.
    const waiting = failure(sub.next(() => true, { timeoutMs: 40_000, description: 'anything' }));
    await deleteQueueFromBroker(sub.queue);
    const error = await waiting;
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(`Pulse cancelled the consumer of queue "${sub.queue}": the queue was deleted`);
    await sub.close();
  }, 60_000);
});
