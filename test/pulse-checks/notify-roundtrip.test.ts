// pulse.notify-roundtrip against the real broker: notify.pulse is nock, and the notification it would publish
// goes out on the broker as the notify service publishes it.

import { describe, expect, it } from 'vitest';
import { notifyRoundtrip } from '../../checks/pulse-notify-roundtrip.js';
import { requiredScopes } from '../../src/runner/preflight.js';
import { missingService } from '../support/services.js';
import { queueNames } from '../pulse/broker.js';
import { mockNotifyPulse, NAMESPACE, resultOf, runPulseChecks, useBroker } from './harness.js';

describe('pulse.notify-roundtrip scopes', () => {
  it('names the routing keys of the namespace it is given', () => {
    expect(requiredScopes(notifyRoundtrip, { namespace: 'canary', maxRoundtrip: 10_000 })).toBe('notify:pulse:canary.tc-canary.*');
  });

  it('needs every routing key when the namespace is left to the Pulse connection', () => {
    expect(requiredScopes(notifyRoundtrip, { namespace: '', maxRoundtrip: 10_000 })).toBe('notify:pulse:*');
  });
});

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('pulse.notify-roundtrip', () => {
  const broker = useBroker();

  it('receives its notification through Pulse and measures the round trip', async () => {
    const notify = mockNotifyPulse(broker.taskcluster);
    const sentAfter = Date.now();
    const run = await runPulseChecks([notifyRoundtrip], { pulse: broker.pulse });
    const result = resultOf(run, 'pulse.notify-roundtrip');

    expect(result.outcome).toBe('passed');
    const [request] = notify.requests;
    expect(request!.routingKey).toMatch(new RegExp(`^${NAMESPACE}\\.tc-canary\\.[\\w-]+$`));
    const message = request!.message as { nonce: string; sentAt: string };
    expect(request!.routingKey).toBe(`${NAMESPACE}.tc-canary.${message.nonce}`);
    expect(Date.parse(message.sentAt)).toBeGreaterThanOrEqual(sentAfter);
    const roundtrip = result.metrics.pulse_roundtrip_ms!;
    expect(roundtrip).toMatchObject({ unit: 'ms', limit: 10_000, ok: true });
    expect(roundtrip.value).toBeGreaterThanOrEqual(0);
    const queue = `queue/canary/tc-canary/pulse.notify-roundtrip/${message.nonce}`;
    expect(result.steps.map((step) => [step.name, step.outcome])).toEqual([
      ['subscribe to the notification route', 'passed'], ['notify.pulse', 'passed'], ['receive the notification', 'passed'], [`cleanup: delete ${queue}`, 'passed'],
    ]);
    expect((await queueNames()).filter((name) => name.includes(message.nonce))).toEqual([]);
  });

  it('fails naming the routing key and the queue when notify answers but the message never comes', async () => {
    mockNotifyPulse(broker.taskcluster, { publish: false });
    const run = await runPulseChecks([notifyRoundtrip], { pulse: broker.pulse, params: { 'pulse.notify-roundtrip': { maxRoundtrip: 500 } } });
    const result = resultOf(run, 'pulse.notify-roundtrip');

    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(
      /^the notification with routing key canary\.tc-canary\.\S+ did not arrive within 500ms on queue "queue\/canary\/tc-canary\/pulse\.notify-roundtrip\/\S+" \(bound to exchange\/taskcluster-notify\/v1\/notification with "route\.canary\.tc-canary\.\S+"\)$/,
    );
    expect(result.error!.step).toBe('receive the notification');
    expect(result.attempts).toHaveLength(1);
  });

  it('is skipped, saying why, when no Pulse is configured', async () => {
    const run = await runPulseChecks([notifyRoundtrip], {});
    expect(resultOf(run, 'pulse.notify-roundtrip')).toMatchObject({ outcome: 'skipped', skipReason: expect.stringContaining('no Pulse configured') });
  });
});
