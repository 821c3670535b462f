// One open AMQP connection and what lives exactly as long as it: the confirm channel used for publishing and
// the exchanges already declared. When the broker drops it, `loss` says why; PulseConnection then opens a
// new session for the next use.

import { isIP } from 'node:net';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { TransientError } from '../check/errors.js';
import { loadOnUse } from '../load-on-use.js';
import { connectError, connectionLost, operationError } from './errors.js';
import { reusable } from './reusable.js';
import type { PulseSettings } from './settings.js';

// A dead link is noticed after two missed beats: one minute, inside a Pulse check's timeout. (Taskcluster's
// long-lived consumers use 120 s; a probe must notice sooner.)
const DEFAULT_HEARTBEAT_SECONDS = 30;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Loaded by the first connection (a run without Pulse never loads amqplib), and in the same turn, so the
 * connection is asked for at once: its handshake's round trips then overlap the work that follows (a run's
 * preflight loading taskcluster-client) instead of starting after it.
 */
const amqplib = loadOnUse<typeof import('amqplib')>('amqplib');

export class PulseSession {
  /** Set when the connection ended without close() being called. */
  loss: TransientError | undefined;
  #closing = false;
  // A refused publish closes its channel: the next publish opens a fresh one.
  readonly #publisherChannel = reusable(() => this.#newPublisher(), (publisher) => publisher.isOpen);
  readonly #declaredExchanges = new Set<string>();

  private constructor(
    readonly settings: PulseSettings,
    private readonly model: ChannelModel,
  ) {
    // Without an 'error' listener a broker-side close would crash the process; 'close' carries the same error.
    model.on('error', () => {});
    model.on('close', (cause?: Error) => {
      if (!this.#closing) this.loss = connectionLost(cause, settings);
    });
  }

  static async open(settings: PulseSettings, connectionName: string): Promise<PulseSession> {
    const { protocol, hostname, port, username, password, vhost } = settings;
    try {
      const model = await amqplib().connect(
        {
          protocol, hostname, port, username, password,
          // amqplib unescapes the vhost it is given.
          vhost: encodeURIComponent(vhost),
          heartbeat: settings.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS,
          ...(settings.frameMax !== undefined ? { frameMax: settings.frameMax } : {}),
        },
        {
          // With Nagle's algorithm a local round trip takes ~40 ms instead of well under 1 ms.
          noDelay: true,
          timeout: CONNECT_TIMEOUT_MS,
          ...(protocol === 'amqps' && !isIP(hostname) ? { servername: hostname } : {}),
          clientProperties: { connection_name: connectionName },
        },
      );
      return new PulseSession(settings, model);
    } catch (error) {
      throw connectError(error, settings);
    }
  }

  get isOpen(): boolean {
    return !this.loss && !this.#closing;
  }

  /** A channel of its own for a subscription, so that one subscription's failure leaves the others alone. */
  async createChannel(): Promise<Channel> {
    try {
      const channel = await this.model.createChannel();
      channel.on('error', () => {}); // reported through the failing operation instead
      return channel;
    } catch (error) {
      throw operationError(error, 'open a channel', this.settings, this.loss);
    }
  }

  async publish(exchange: string, routingKey: string, content: Buffer): Promise<void> {
    const publisher = await this.#publisherChannel();
    await publisher.publish(exchange, routingKey, content);
  }

  /** Declares a topic exchange of our own once per connection (the broker keeps it, durable, across them). */
  async declareExchange(exchange: string): Promise<void> {
    if (this.#declaredExchanges.has(exchange)) return;
    const publisher = await this.#publisherChannel();
    await publisher.declareTopicExchange(exchange);
    this.#declaredExchanges.add(exchange);
  }

  async #newPublisher(): Promise<Publisher> {
    try {
      return new Publisher(await this.model.createConfirmChannel(), this);
    } catch (error) {
      throw operationError(error, 'open a publishing channel', this.settings, this.loss);
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    if (this.loss) return;
    await this.model.close();
  }
}

/** A confirm channel that remembers why the broker closed it, since a confirm callback only says "channel closed". */
class Publisher {
  #closedBy: Error | undefined;
  #open = true;

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly session: PulseSession,
  ) {
    channel.on('error', (error: Error) => { this.#closedBy = error; });
    channel.on('close', () => { this.#open = false; });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  publish(exchange: string, routingKey: string, content: Buffer): Promise<void> {
    const fail = (error: unknown) => operationError(this.#closedBy ?? error, `publish to exchange "${exchange}"`, this.session.settings, this.session.loss);
    return new Promise((resolve, reject) => {
      const confirmed = (error: unknown) => {
        if (!error) return resolve();
        // When the whole connection drops, amqplib fails the confirms just before it reports why the
        // connection closed: read the reason once that has happened.
        queueMicrotask(() => reject(fail(error)));
      };
      try {
        this.channel.publish(exchange, routingKey, content, { contentType: 'application/json', persistent: true }, confirmed);
      } catch (error) {
        reject(fail(error));
      }
    });
  }

  async declareTopicExchange(exchange: string): Promise<void> {
    try {
      await this.channel.assertExchange(exchange, 'topic', { durable: true });
    } catch (error) {
      throw operationError(error, `declare exchange "${exchange}"`, this.session.settings, this.session.loss);
    }
  }
}
