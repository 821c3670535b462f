// pulse.task-events against the real broker: createTask and queue.status are nock, and the queue's messages
// for the task go out on the broker as the queue publishes them (routing keys and bodies of the v74 recordings).

import { describe, expect, it } from 'vitest';
import { taskEvents } from '../../checks/pulse-task-events.js';
import { satisfiesExpression } from 'taskcluster-lib-scopes';
import { defaultParams } from '../../src/check/params.js';
import { requiredScopes } from '../../src/runner/preflight.js';
import { missingService } from '../support/services.js';
import { queueNames } from '../pulse/broker.js';
import { mockTaskLifecycle, NAMESPACE_SCOPES, resultOf, runPulseChecks, useBroker } from './harness.js';

const defaults = defaultParams(taskEvents.params!);

describe('pulse.task-events scopes', () => {
  it('needs the route scope of its namespace only', () => {
    const scopes = requiredScopes(taskEvents, { ...defaults, namespace: 'canary' })!;
    expect(JSON.stringify(scopes)).toContain('"queue:route:canary.tc-canary.*"');
    expect(satisfiesExpression(NAMESPACE_SCOPES, scopes)).toBe(true);
  });

  it('needs every route when the namespace is left to the Pulse connection', () => {
    const scopes = requiredScopes(taskEvents, { ...defaults, namespace: '' })!;
    expect(satisfiesExpression(NAMESPACE_SCOPES, scopes)).toBe(false);
    expect(satisfiesExpression([...NAMESPACE_SCOPES, 'queue:route:*'], scopes)).toBe(true);
  });
});

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('pulse.task-events', () => {
  const broker = useBroker();

  it('receives the four task events for its routed task, in order, and measures each delay', async () => {
    const queue = mockTaskLifecycle(broker.taskcluster);
    const run = await runPulseChecks([taskEvents], { pulse: broker.pulse });
    const result = resultOf(run, 'pulse.task-events');

    expect(result.outcome).toBe('passed');
    const [created] = queue.created;
    expect(created!.definition.routes).toHaveLength(1);
    expect(created!.definition.routes[0]).toMatch(/^canary\.tc-canary\.\S+$/);
    expect(created!.definition).toMatchObject({ taskQueueId: 'built-in/succeed', schedulerId: 'tc-canary', payload: {} });
    expect(result.resources).toEqual([{ type: 'task', id: created!.taskId }]);
    for (const metric of ['pending_event_delay_ms', 'running_event_delay_ms', 'completed_event_delay_ms']) {
      expect(result.metrics[metric], metric).toMatchObject({ unit: 'ms', limit: 30_000, ok: true });
      expect(result.metrics[metric]!.value, metric).toBeGreaterThanOrEqual(0);
    }
    const nonce = created!.definition.routes[0]!.split('.').pop()!;
    expect((await queueNames()).filter((name) => name.includes(nonce))).toEqual([]);
  });

  it('fails naming task-running when that message never comes, and still measures the others', async () => {
    mockTaskLifecycle(broker.taskcluster, { events: ['task-defined', 'task-pending', 'task-completed'] });
    const run = await runPulseChecks([taskEvents], { pulse: broker.pulse, params: { 'pulse.task-events': { runningEventDelay: 700 } } });
    const result = resultOf(run, 'pulse.task-events');

    expect(result.outcome).toBe('failed');
    expect(result.error!.step).toBe('receive the task events');
    expect(result.error!.message).toMatch(/^the task-running message for task \S+ did not arrive within 700ms on queue "queue\/canary\/tc-canary\/pulse\.task-events\/\S+"/);
    expect(result.error!.message).not.toMatch(/task-(defined|pending|completed) message/);
    expect(Object.keys(result.metrics).sort()).toEqual(['completed_event_delay_ms', 'pending_event_delay_ms']);
    expect(result.attempts).toHaveLength(1);
  });

  it('says that task-defined is published best effort when it is the one missing', async () => {
    mockTaskLifecycle(broker.taskcluster, { events: ['task-pending', 'task-running', 'task-completed'] });
    const run = await runPulseChecks([taskEvents], { pulse: broker.pulse, params: { 'pulse.task-events': { pendingEventDelay: 700 } } });
    const result = resultOf(run, 'pulse.task-events');

    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/^the task-defined message for task \S+ did not arrive within 700ms .* \(since Taskcluster v99\.2\.1 the queue publishes task-defined best effort after createTask: look for a warning in its log\)$/);
  });

  it('fails when the events arrive out of order', async () => {
    mockTaskLifecycle(broker.taskcluster, { events: ['task-defined', 'task-running', 'task-pending', 'task-completed'] });
    const run = await runPulseChecks([taskEvents], { pulse: broker.pulse });
    const result = resultOf(run, 'pulse.task-events');

    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(
      'the task events arrived as task-defined, task-running, task-pending, task-completed; the queue publishes them as task-defined, task-pending, task-running, task-completed',
    );
  });
});
