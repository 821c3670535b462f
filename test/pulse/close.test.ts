// Closing a Pulse connection twice (a run starts its close early and waits for it at the end): the second call
// waits for the first close to finish, so a process that awaited it knows the broker has let go.

import { describe, expect, it } from 'vitest';
import { missingService, services } from '../support/services.js';
import { canaryConnection, failure, nonce } from './broker.js';

describe.skipIf(missingService('amqpUrl'))('closing a Pulse connection', () => {
  it('a second close waits for the first, and both leave the connection closed', async () => {
    const { pulse } = canaryConnection(services.amqpUrl!);
    await pulse.subscribe({ check: 'test.close', nonce: nonce(), bindings: [] }); // opens the connection
    let firstDone = false;
    const first = pulse.close().then(() => { firstDone = true; });
    await pulse.close();
    expect(firstDone).toBe(true);
    await first;
    expect((await failure(pulse.subscribe({ check: 'test.close', nonce: nonce(), bindings: [] }))).message).toContain('is closed');
  });
});
