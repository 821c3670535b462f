// Helpers for the suites that use the test broker. What the broker lists, and the broker closing a
// connection (what a restart does to every client: 320 CONNECTION_FORCED), go through rabbitmqctl as an
// operator would.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../../src/clock.js';
import { PulseConnection } from '../../src/pulse/connection.js';
import { parsePulseUrl } from '../../src/pulse/settings.js';

const run = promisify(execFile);

export const VHOST = 'tc-canary-test';

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args]);
  return stdout;
}

/** Names of the queues that exist on the test vhost. */
export async function queueNames(): Promise<string[]> {
  const out = await rabbitmqctl('list_queues', '-p', VHOST, 'name', '--no-table-headers');
  return out.split('\n').map((line) => line.trim()).filter(Boolean);
}

/** Closes, from the broker's side, the connection the client named `connectionName`. */
export async function closeConnectionFromBroker(connectionName: string, reason: string): Promise<void> {
  const row = await connectionRow(connectionName);
  if (!row) throw new Error(`the broker lists no connection named ${connectionName}`);
  await rabbitmqctl('close_connection', row.split('\t')[0]!, reason);
  // The broker lists the connection until the client answered the close, so once it is gone the client knows.
  const deadline = Date.now() + 20_000;
  while (await connectionRow(connectionName)) {
    if (Date.now() > deadline) throw new Error(`the broker still lists connection ${connectionName} 20 s after closing it`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Restarts the broker application (stop_app, start_app), as an upgrade or a crash does: every connection is
 * closed with 320 CONNECTION_FORCED, users, vhosts and durable exchanges stay. Waits until it accepts
 * connections again.
 */
export async function restartBroker(): Promise<void> {
  await stopBroker();
  await startBroker();
}

/** Stops the broker (every client loses its connection, and none can connect) until startBroker. */
export async function stopBroker(): Promise<void> {
  await rabbitmqctl('stop_app');
}

export async function startBroker(): Promise<void> {
  await rabbitmqctl('start_app');
  await rabbitmqctl('await_startup', '--timeout', '60');
}

async function connectionRow(connectionName: string): Promise<string | undefined> {
  const rows = await rabbitmqctl('list_connections', 'pid', 'client_properties', '--no-table-headers');
  return rows.split('\n').find((line) => line.includes(`"${connectionName}"`));
}

/** A PulseConnection as the canary user, named uniquely so a test can find it in the broker's list. */
export function canaryConnection(url: string, options: { namespace?: string; clock?: Clock } = {}): { pulse: PulseConnection; name: string } {
  const name = `tc-canary-test-${randomUUID()}`;
  const pulse = new PulseConnection(parsePulseUrl(url, options.namespace), { connectionName: name, ...(options.clock ? { clock: options.clock } : {}) });
  return { pulse, name };
}

export function nonce(): string {
  return randomUUID().slice(0, 12);
}

/** The error a promise rejects with; a promise that resolves fails the test. */
export function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => { throw new Error('expected a failure'); },
    (error: unknown) => error as Error,
  );
}

/** Deletes a queue from the broker's side, as an operator or Pulse's guardian would. */
export async function deleteQueueFromBroker(queue: string): Promise<void> {
  await rabbitmqctl('delete_queue', '-p', VHOST, queue);
}
