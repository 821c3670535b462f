// A check's own queue on Pulse: named under the namespace (Pulse refuses server-named queues), exclusive and
// auto-delete (nothing outlives the connection), bound before the check triggers anything, every message
// acked on arrival (Pulse deletes queues that grow) and timestamped then, deleted on close.

import type { Channel, ConsumeMessage } from 'amqplib';
import { AssertionFailure, TransientError } from '../check/errors.js';
import type { Clock } from '../clock.js';
import type { PulseBinding, PulseMessage, PulseSubscription, SubscribeOptions, WaitOptions } from './access.js';
import { operationError } from './errors.js';
import { canaryQueueName } from './names.js';
import type { PulseSession } from './session.js';
import { formatElapsed } from '../check/duration.js';

interface Waiter {
  predicate: (message: PulseMessage) => boolean;
  resolve: (message: PulseMessage) => void;
  reject: (error: unknown) => void;
}

export class QueueSubscription implements PulseSubscription {
  /** Arrived and not yet taken by next(), in order of arrival. */
  readonly #inbox: PulseMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #sequence = 0;
  /** Why no further message can arrive; set once. */
  #ended: Error | undefined;
  #closing: Promise<void> | undefined;
  #channelOpen = true;
  #declared = false;
  #channelError: Error | undefined;

  private constructor(
    readonly queue: string,
    private readonly bindings: readonly PulseBinding[],
    private readonly channel: Channel,
    private readonly session: PulseSession,
    private readonly clock: Clock,
  ) {
    channel.on('error', (error: Error) => { this.#channelError = error; });
    channel.on('close', () => {
      this.#channelOpen = false;
      // When the connection drops, amqplib closes the channels just before it says why: read the reason after.
      queueMicrotask(() => this.#end(this.#closedUnexpectedly()));
    });
  }

  static async open(session: PulseSession, options: SubscribeOptions, clock: Clock): Promise<QueueSubscription> {
    const queue = canaryQueueName(session.settings.namespace, options.check, options.nonce);
    const channel = await session.createChannel();
    const subscription = new QueueSubscription(queue, options.bindings, channel, session, clock);
    try {
      await subscription.#declareAndConsume(options.signal);
      return subscription;
    } catch (error) {
      await subscription.close().catch(() => {});
      throw error;
    }
  }

  async #declareAndConsume(signal: AbortSignal | undefined): Promise<void> {
    const { channel, queue } = this;
    await this.#operate(`declare queue "${queue}"`, () => channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false }));
    this.#declared = true;
    for (const { exchange, routingKeyPattern } of this.bindings) {
      signal?.throwIfAborted();
      await this.#operate(`bind queue "${queue}" to exchange "${exchange}" with "${routingKeyPattern}"`, () => channel.bindQueue(queue, exchange, routingKeyPattern));
    }
    signal?.throwIfAborted();
    await this.#operate(`consume from queue "${queue}"`, () => channel.consume(queue, (message) => this.#arrived(message), { exclusive: true }));
  }

  async #operate<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw operationError(error, operation, this.session.settings, this.session.loss);
    }
  }

  #arrived(delivery: ConsumeMessage | null): void {
    if (delivery === null) {
      // Someone deleted the queue (an operator, Pulse's guardian): nothing the deployment did wrong.
      this.#end(new TransientError(`Pulse cancelled the consumer of queue "${this.queue}": the queue was deleted`, { url: this.session.settings.redactedUrl }));
      return;
    }
    const receivedAt = this.clock.now();
    this.channel.ack(delivery);
    const message: PulseMessage = {
      exchange: delivery.fields.exchange,
      routingKey: delivery.fields.routingKey,
      cc: ccRoutes(delivery),
      body: parseBody(delivery.content),
      receivedAt,
      sequence: this.#sequence++,
    };
    for (const waiter of this.#waiters) {
      if (waiter.predicate(message)) {
        waiter.resolve(message);
        return;
      }
    }
    this.#inbox.push(message);
  }

  #closedUnexpectedly(): Error {
    const cause = this.#channelError ?? new Error('the channel closed');
    return operationError(cause, `keep consuming from queue "${this.queue}"`, this.session.settings, this.session.loss);
  }

  #end(reason: Error): void {
    if (this.#ended) return;
    this.#ended = reason;
    for (const waiter of this.#waiters) waiter.reject(reason);
  }

  async next(predicate: (message: PulseMessage) => boolean, options: WaitOptions): Promise<PulseMessage> {
    const index = this.#inbox.findIndex(predicate);
    if (index !== -1) return this.#inbox.splice(index, 1)[0]!;
    if (this.#ended) throw this.#ended;
    options.signal?.throwIfAborted();

    return new Promise<PulseMessage>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        predicate,
        resolve: (message) => { settle(); resolve(message); },
        reject: (error) => { settle(); reject(error); },
      };
      const onAbort = () => waiter.reject(options.signal?.reason);
      const timer = setTimeout(() => waiter.reject(new AssertionFailure(this.#missing(options))), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  #missing({ description, timeoutMs }: WaitOptions): string {
    const bound = this.bindings.map((b) => `${b.exchange} with "${b.routingKeyPattern}"`).join(', ');
    const others = this.#inbox.length ? `; ${this.#inbox.length} other message(s) arrived` : '';
    return `${description} did not arrive within ${formatElapsed(timeoutMs)} on queue "${this.queue}" (bound to ${bound})${others}`;
  }

  close(): Promise<void> {
    this.#end(new Error(`the subscription to queue "${this.queue}" is closed`));
    this.#closing ??= this.#deleteQueue();
    return this.#closing;
  }

  async #deleteQueue(): Promise<void> {
    // The queue is exclusive: when the connection is gone, so is the queue.
    if (!this.#declared || !this.session.isOpen) return;
    // A refused bind closes the subscription's channel; the queue it declared still needs deleting.
    const channel = this.#channelOpen ? this.channel : await this.session.createChannel();
    await this.#operate(`delete queue "${this.queue}"`, async () => {
      await channel.deleteQueue(this.queue);
      await channel.close();
    });
  }
}

function ccRoutes(delivery: ConsumeMessage): string[] {
  const cc: unknown = delivery.properties.headers?.CC;
  return Array.isArray(cc) ? cc.map(String) : [];
}

function parseBody(content: Buffer): unknown {
  const text = content.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
