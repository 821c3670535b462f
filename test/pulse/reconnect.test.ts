// The broker drops tc-canary's connection (as a restart does: 320 CONNECTION_FORCED, sent to one named
// connection here so that other suites on the same broker are not disturbed). The check that was waiting gets
// a transient error; the next use connects again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransient, TransientError } from '../../src/check/errors.js';
import { canaryRoute, TASKCLUSTER_EXCHANGES } from '../../src/pulse/names.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { FakeTaskclusterPulse } from '../support/fake-taskcluster-pulse.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, closeConnectionFromBroker, failure, nonce, queueNames } from './broker.js';

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('Pulse after the broker dropped the connection', () => {
  let taskcluster: FakeTaskclusterPulse;
  const opened: PulseConnection[] = [];
  const connect = () => {
    const connection = canaryConnection(services.amqpUrl!);
    opened.push(connection.pulse);
    return connection;
  };

  beforeAll(async () => {
    taskcluster = await FakeTaskclusterPulse.connect(services.amqpAdminUrl!);
  });
  afterAll(async () => {
    await Promise.all(opened.map((pulse) => pulse.close()));
    await taskcluster?.close();
  });

  async function roundTrip(pulse: PulseConnection): Promise<void> {
    const id = nonce();
    const route = canaryRoute(pulse.namespace, id);
    const sub = await pulse.subscribe({ check: 'pulse.notify-roundtrip', nonce: id, bindings: [{ exchange: TASKCLUSTER_EXCHANGES.notification, routingKeyPattern: `route.${route}` }] });
    await taskcluster.notify(route, { nonce: id });
    await sub.next(() => true, { timeoutMs: 5000, description: 'the notification' });
    await sub.close();
  }

  it('fails the waiting check with a transient error naming the broker, and reconnects for the next use', async () => {
    const { pulse, name } = connect();
    await roundTrip(pulse);

    const id = nonce();
    const sub = await pulse.subscribe({ check: 'pulse.task-events', nonce: id, bindings: [{ exchange: TASKCLUSTER_EXCHANGES.taskCompleted, routingKeyPattern: `route.${id}` }] });
    // Generous: rabbitmqctl boots an Erlang VM per call; the dropped connection settles the wait long before.
    const waiting = failure(sub.next(() => true, { timeoutMs: 40_000, description: 'the task-completed message' }));
    await closeConnectionFromBroker(name, 'broker restarting');

    const error = await waiting;
    expect(error).toBeInstanceOf(TransientError);
    expect(isTransient(error)).toBe(true);
    expect(error.message).toBe(
      'could not keep consuming from queue "' + sub.queue + '": the Pulse connection to amqp://canary:***@127.0.0.1:5672/tc-canary-test ' +
        'dropped (320 CONNECTION_FORCED - broker restarting); the next use reconnects',
    );
    // The exclusive queue went with the connection; closing the subscription now is harmless.
    await sub.close();
    expect(await queueNames()).not.toContain(sub.queue);

    await roundTrip(pulse);
  }, 60_000);

  it('reconnects when the connection was dropped while no check was using it', async () => {
    const { pulse, name } = connect();
    await roundTrip(pulse);
    await closeConnectionFromBroker(name, 'broker restarting');
    await roundTrip(pulse);
  }, 60_000);

  it('is unusable after close(), and its queues are gone', async () => {
    const { pulse } = connect();
    const id = nonce();
    const sub = await pulse.subscribe({ check: 'c', nonce: id, bindings: [] });
    await pulse.close();
    expect(await queueNames()).not.toContain(sub.queue);
    await expect(pulse.publish('exchange/canary/x', 'k', {})).rejects.toThrow('the Pulse connection to amqp://canary:***@127.0.0.1:5672/tc-canary-test is closed');
  });
});
