// notify.task-route against the real broker: the queue is nock, and the notification the notify service's
// handler would publish for the task's notify.pulse route goes out on the broker as the handler publishes it
// (the recorded pulse-notify-handler-notification.json: the task's status under `message`).

import { describe, expect, it } from 'vitest';
import { notifyTaskRoute } from '../../checks/notify-task-route.js';
import { defaultParams } from '../../src/check/params.js';
import { requiredScopes } from '../../src/runner/preflight.js';
import { fixture } from '../support/deployment.js';
import { missingService } from '../support/services.js';
import { mockTaskLifecycle, NAMESPACE, resultOf, runPulseChecks, useBroker, type BrokerSuite, type QueueCalls } from './harness.js';

const ROUTE = /^notify\.pulse\.(.+)\.on-completed$/;

/** Plays the notify handler: once the task exists, publishes its notification `delayMs` later (for `taskId` if given). */
async function notifyHandler(broker: BrokerSuite, queue: QueueCalls, options: { delayMs: number; taskId?: string }): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (queue.created.length === 0) {
    if (Date.now() > giveUpAt) throw new Error('the check created no task');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const task = queue.created[0]!;
  const routingKey = ROUTE.exec(task.definition.routes[0]!)![1]!;
  await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  const { message } = fixture('pulse-notify-handler-notification.json').message.content;
  await broker.taskcluster.notify(routingKey, { ...message, taskId: options.taskId ?? task.taskId });
}

describe('notify.task-route scopes', () => {
  it('asks for the notify.pulse route of its namespace on built-in/succeed, and needs Pulse', () => {
    const scopes = JSON.stringify(requiredScopes(notifyTaskRoute, { ...defaultParams(notifyTaskRoute.params!), namespace: NAMESPACE }));
    expect(scopes).toContain(`"queue:route:notify.pulse.${NAMESPACE}.tc-canary.*"`);
    expect(scopes).toContain('queue:create-task:lowest:built-in/succeed');
    expect(notifyTaskRoute.requires).toEqual(['pulse']);
    expect(notifyTaskRoute.watches).toEqual({ service: 'notify', process: 'handler' });
  });
});

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('notify.task-route', () => {
  const broker = useBroker();

  it('routes a task to notify.pulse.<route>.on-completed and measures the handler\'s lag after the task resolved', async () => {
    const queue = mockTaskLifecycle(broker.taskcluster);
    const [run] = await Promise.all([runPulseChecks([notifyTaskRoute], { pulse: broker.pulse }), notifyHandler(broker, queue, { delayMs: 150 })]);
    const result = resultOf(run, 'notify.task-route');
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    const [task] = queue.created;
    expect(task!.definition.routes).toEqual([expect.stringMatching(new RegExp(`^notify\\.pulse\\.${NAMESPACE}\\.tc-canary\\.[0-9a-f]+\\.on-completed$`))]);
    const lag = result.metrics.notify_handler_lag_ms!;
    expect(lag).toMatchObject({ unit: 'ms', limit: 60_000, ok: true });
    // Published 150 ms after the task was created (and resolved, in this fake): the lag includes that wait.
    expect(lag.value).toBeGreaterThanOrEqual(140);
    expect(lag.value).toBeLessThan(5_000);
  });

  it('fails naming the notify handler when no notification for its task arrives within the limit (another task\'s does not count)', async () => {
    const queue = mockTaskLifecycle(broker.taskcluster);
    const [run] = await Promise.all([
      runPulseChecks([notifyTaskRoute], { pulse: broker.pulse, params: { 'notify.task-route': { notifyHandlerSla: 400 } } }),
      notifyHandler(broker, queue, { delayMs: 0, taskId: 'AnotherTaskAAAAAAAAAAA' }),
    ]);
    const result = resultOf(run, 'notify.task-route');
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla', step: 'receive the notification' });
    expect(result.error!.message).toMatch(new RegExp(`^notify handler: no notification for task ${queue.created[0]!.taskId} on route ${NAMESPACE}\\.tc-canary\\.[0-9a-f]+ \\d+ms after it completed \\(limit 400ms\\)$`));
  });

  it('is skipped without Pulse', async () => {
    const run = await runPulseChecks([notifyTaskRoute], {});
    expect(resultOf(run, 'notify.task-route')).toMatchObject({ outcome: 'skipped', skipReason: expect.stringContaining('no Pulse configured') });
  });
});
