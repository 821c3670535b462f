// Queues on the test broker for the management checks: declared, filled and consumed over AMQP as the
// "taskcluster" user, and watched through the management API until it shows what a test set up. The API's
// figures come from statistics the broker publishes every few seconds (collect_statistics_interval), and its
// queue list is cached on top, so a test waits for the figures it needs instead of guessing how long that takes.

import amqp from 'amqplib';
import { httpProbe } from '../../src/http/probe.js';
import { ManagementApi } from '../../src/pulse/management-api.js';
import { parseManagementUrl, type ManagementSettings } from '../../src/pulse/management-settings.js';
import { services } from '../support/services.js';
import { VHOST, nonce } from './broker.js';

const STATS_TIMEOUT_MS = 30_000;

/** The management API as the test's monitoring user (or another user's URL), for the test vhost. */
export function managementSettings(url = services.managementUrl!): ManagementSettings {
  return parseManagementUrl(url, VHOST);
}

/** A folder of queues named `queue/canary/pulse-mgmt-test/<nonce>/...`, deleted by close(). */
export class TestQueues {
  readonly prefix = `queue/canary/pulse-mgmt-test/${nonce()}`;
  private readonly declared = new Set<string>();

  private constructor(private readonly connection: amqp.ChannelModel, private readonly channel: amqp.ConfirmChannel) {}

  static async open(): Promise<TestQueues> {
    const connection = await amqp.connect(services.amqpAdminUrl!);
    return new TestQueues(connection, await connection.createConfirmChannel());
  }

  /** Declares `<prefix>/<name>` (not auto-deleted: a queue without a consumer stays) and returns its full name. */
  async declare(name: string): Promise<string> {
    const queue = `${this.prefix}/${name}`;
    await this.channel.assertQueue(queue, { durable: false, autoDelete: false });
    this.declared.add(queue);
    return queue;
  }

  async publish(queue: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) this.channel.sendToQueue(queue, Buffer.from(JSON.stringify({ i })), { contentType: 'application/json' });
    await this.channel.waitForConfirms();
  }

  /** A consumer that acks every message, as a healthy Pulse consumer does. */
  async consume(queue: string): Promise<void> {
    await this.channel.consume(queue, (message) => message && this.channel.ack(message));
  }

  async close(): Promise<void> {
    for (const queue of this.declared) await this.channel.deleteQueue(queue);
    await this.connection.close();
  }
}

interface QueueFigures {
  messages?: number;
  consumers?: number;
}

/**
 * Waits until the management API shows the queue with these figures, read as the checks read it: the queue
 * list (which the broker caches apart from a single queue's page).
 */
export async function untilBrokerShows(queue: string, expected: QueueFigures, settings = managementSettings()): Promise<void> {
  const api = new ManagementApi(settings, httpProbe(new AbortController().signal, Date.now));
  const deadline = Date.now() + STATS_TIMEOUT_MS;
  let seen: unknown;
  while (Date.now() < deadline) {
    const [shown] = await api.queues(queue);
    seen = shown;
    if (shown && Object.entries(expected).every(([key, value]) => shown[key as keyof QueueFigures] === value)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the management API did not show ${queue} with ${JSON.stringify(expected)} within ${STATS_TIMEOUT_MS} ms; last seen: ${JSON.stringify(seen)}`);
}
