// hooks.pulse-binding against the real broker: the hooks and queue services are nock, and the test plays the
// hooks service's listeners on the broker: a queue of their own bound as the created hook asks, firing the hook
// when a message arrives on it, as the real listeners do.

import amqp from 'amqplib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hooksPulseBinding } from '../../checks/hooks-pulse-binding.js';
import { completesAfterOnePoll, fakeQueue } from '../checks/task-support.js';
import { fakeHooks, type FakeHooks } from '../checks/hooks-support.js';
import { missingService, services } from '../support/services.js';
import { nonce } from '../pulse/broker.js';
import { NAMESPACE, resultOf, runPulseChecks, useBroker } from './harness.js';

const PARAMS = { 'hooks.pulse-binding': { bindingDelay: 300, pollInterval: 20 } };

/** Binds a queue as the created hook's listener would, and fires the hook on each message it receives. */
async function playListeners(hooks: FakeHooks): Promise<{ bound: Promise<{ exchange: string; routingKeyPattern: string }> }> {
  const connection = await amqp.connect(services.amqpAdminUrl!);
  const channel = await connection.createChannel();
  onTestFinished(() => connection.close());
  const bound = (async () => {
    const giveUpAt = Date.now() + 10_000;
    while (hooks.created.length === 0) {
      if (Date.now() > giveUpAt) throw new Error('the check created no hook');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const hook = hooks.created[0]!;
    const binding = hook.definition.bindings[0] as { exchange: string; routingKeyPattern: string };
    const queue = `queue/taskcluster/hooks/${nonce()}`;
    await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, binding.exchange, binding.routingKeyPattern);
    await channel.consume(queue, () => { hooks.fire(`${hook.hookGroupId}/${hook.hookId}`, Date.now()); }, { noAck: true });
    return binding;
  })();
  return { bound };
}

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('hooks.pulse-binding', () => {
  const broker = useBroker();

  it('binds a hook to its own exchange, publishes a matching message, and measures the listener\'s lag until the fire', async () => {
    const queue = fakeQueue(completesAfterOnePoll);
    const hooks = fakeHooks(queue);
    const listeners = await playListeners(hooks);
    const run = await runPulseChecks([hooksPulseBinding], { pulse: broker.pulse, params: PARAMS });
    const result = resultOf(run, 'hooks.pulse-binding');
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    const binding = await listeners.bound;
    expect(binding).toEqual({ exchange: `exchange/${NAMESPACE}/tc-canary/hook-probe`, routingKeyPattern: expect.stringMatching(/^tc-canary\.[0-9a-f]+$/) });
    const lag = result.metrics.listener_lag_ms!;
    expect(lag).toMatchObject({ unit: 'ms', limit: 60_000, ok: true });
    expect(lag.value).toBeLessThan(5_000);
    expect(hooks.removed).toEqual([`project-tc-canary/${hooks.created[0]!.hookId}`]);
    expect(result.watches).toEqual({ service: 'hooks', process: 'listeners' });
  });

  it('fails naming the hooks listeners when the hook does not fire within the limit, and removes the hook', async () => {
    const hooks = fakeHooks(fakeQueue(completesAfterOnePoll));
    const run = await runPulseChecks([hooksPulseBinding], { pulse: broker.pulse, params: { 'hooks.pulse-binding': { ...PARAMS['hooks.pulse-binding'], listenerLagSla: 400 } } });
    const result = resultOf(run, 'hooks.pulse-binding');
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(new RegExp(`^hooks listeners: hook project-tc-canary/\\w+ has not fired \\d+ms after a matching message was published on exchange/${NAMESPACE}/tc-canary/hook-probe \\(limit 400ms\\)$`));
    expect(hooks.removed).toHaveLength(1);
  });
});
