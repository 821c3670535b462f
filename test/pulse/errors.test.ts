// Each way Pulse says no, against the real broker: the message names what was refused and the permission
// Pulse grants, shows the URL redacted, never the password, and classifies for the runner's retry policy.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransient } from '../../src/check/errors.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { PulseError } from '../../src/pulse/errors.js';
import { TASKCLUSTER_EXCHANGES } from '../../src/pulse/names.js';
import { FakeTaskclusterPulse } from '../support/fake-taskcluster-pulse.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, failure, nonce, queueNames } from './broker.js';

const PATTERNS = 'Pulse grants user "canary" configure and write on ^(queue/canary/.*|exchange/canary/.*) and read on ^(queue/canary/.*|exchange/.*)';

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('Pulse errors on a real broker', () => {
  const url = services.amqpUrl!;
  const password = decodeURIComponent(new URL(url).password);
  const redacted = 'amqp://canary:***@127.0.0.1:5672/tc-canary-test';
  const opened: PulseConnection[] = [];
  const connect = (options: { namespace?: string } = {}, target = url) => {
    const { pulse } = canaryConnection(target, options);
    opened.push(pulse);
    return pulse;
  };

  beforeAll(async () => {
    // Taskcluster's exchanges exist, as on a real Pulse.
    await (await FakeTaskclusterPulse.connect(services.amqpAdminUrl!)).close();
  });
  afterAll(async () => {
    await Promise.all(opened.map((pulse) => pulse.close()));
  });

  it('a queue outside the namespace is refused, naming the queue and the patterns Pulse grants', async () => {
    const pulse = connect({ namespace: 'someone-else' });
    const id = nonce();
    const error = await failure(pulse.subscribe({ check: 'pulse.notify-roundtrip', nonce: id, bindings: [] }));
    expect(error).toBeInstanceOf(PulseError);
    expect(error.message).toBe(
      `Pulse refused to declare queue "queue/someone-else/tc-canary/pulse.notify-roundtrip/${id}" (403 ACCESS_REFUSED: ` +
        `ACCESS_REFUSED - access to queue 'queue/someone-else/tc-canary/pulse.notify-roundtrip/${id}' in vhost 'tc-canary-test' refused for user 'canary'). ${PATTERNS}`,
    );
    expect(error).toMatchObject({ code: 'ACCESS_REFUSED', statusCode: 403, url: redacted });
    expect(isTransient(error)).toBe(false);
  });

  it('a publish to an exchange the user may not write is refused, naming the exchange', async () => {
    const pulse = connect();
    const error = await failure(pulse.publish(TASKCLUSTER_EXCHANGES.notification, 'primary.x', { hello: 1 }));
    expect(error.message).toBe(
      `Pulse refused to publish to exchange "${TASKCLUSTER_EXCHANGES.notification}" (403 ACCESS_REFUSED: ` +
        `ACCESS_REFUSED - access to exchange '${TASKCLUSTER_EXCHANGES.notification}' in vhost 'tc-canary-test' refused for user 'canary'). ${PATTERNS}`,
    );
    // The refusal closed the publishing channel; the connection publishes again on a fresh one.
    await pulse.declareExchange('exchange/canary/tc-canary/test/errors');
    await expect(pulse.publish('exchange/canary/tc-canary/test/errors', 'primary.x', { hello: 2 })).resolves.toBeUndefined();
  });

  it('a wrong password is reported as a refused login, without the password', async () => {
    const wrongPassword = 'not-the-canary-password';
    const target = new URL(url);
    target.password = wrongPassword;
    const error = await failure(connect({}, target.toString()).subscribe({ check: 'c', nonce: nonce(), bindings: [] }));
    expect(error.message).toBe(`Pulse at ${redacted} refused the login of user "canary": wrong user or password (403 ACCESS_REFUSED)`);
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(wrongPassword);
    expect(error.message).not.toContain(password);
    expect(isTransient(error)).toBe(false);
  });

  it('a vhost the user has no permissions on is named', async () => {
    const target = new URL(url);
    target.pathname = '/';
    const error = await failure(connect({}, target.toString()).publish('exchange/canary/x', 'k', {}));
    expect(error.message).toBe('Pulse at amqp://canary:***@127.0.0.1:5672/%2F refused to open vhost "/" for user "canary": the user may have no permissions on it');
  });

  it('an unreachable broker is a transient error with the socket code and the redacted URL', async () => {
    const target = new URL(url);
    target.port = '1'; // loopback, nothing listens
    const error = await failure(connect({}, target.toString()).subscribe({ check: 'c', nonce: nonce(), bindings: [] }));
    expect(error.message).toBe('cannot reach Pulse at amqp://canary:***@127.0.0.1:1/tc-canary-test: connect ECONNREFUSED 127.0.0.1:1');
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isTransient(error)).toBe(true);
  });

  it('a binding to an exchange that does not exist names it', async () => {
    const id = nonce();
    const error = await failure(connect().subscribe({ check: 'c', nonce: id, bindings: [{ exchange: 'exchange/taskcluster-nope/v1/x', routingKeyPattern: '#' }] }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });
    expect(error.message).toContain(`could not bind queue "queue/canary/tc-canary/c/${id}" to exchange "exchange/taskcluster-nope/v1/x"`);
    expect((await queueNames()).filter((name) => name.includes(id))).toEqual([]);
  });
});
