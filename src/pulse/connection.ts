// tc-canary's handle on Pulse (ctx.pulse). It connects on first use, and after the broker dropped the
// connection (a restart, a network cut) the next use connects again: a check that was mid-way gets a
// transient error, the checks after it get a fresh connection.

import { systemClock, type Clock } from '../clock.js';
import type { PulseAccess, PulseSubscription, SubscribeOptions, TaskWatch } from './access.js';
import { PulseError } from './errors.js';
import { reusable } from './reusable.js';
import { PulseSession } from './session.js';
import type { PulseSettings } from './settings.js';
import { QueueSubscription } from './subscription.js';
import { TaskEventStream } from './task-events.js';

export interface PulseConnectionOptions {
  /** Timestamps messages on arrival. Default: the system clock. */
  clock?: Clock;
  /** How the broker lists this connection (`rabbitmqctl list_connections client_properties`). */
  connectionName?: string;
}

export class PulseConnection implements PulseAccess {
  readonly namespace: string;
  readonly #clock: Clock;
  readonly #session: () => Promise<PulseSession>;
  #opened: Promise<PulseSession> | undefined;
  /** Set by the first close(): later calls wait for that same close. */
  #closing: Promise<void> | undefined;
  readonly #taskEvents: TaskEventStream;

  constructor(
    readonly settings: PulseSettings,
    options: PulseConnectionOptions = {},
  ) {
    this.namespace = settings.namespace;
    this.#clock = options.clock ?? systemClock;
    const name = options.connectionName ?? 'tc-canary';
    this.#session = reusable(() => PulseSession.open(settings, name), (session) => session.isOpen);
    this.#taskEvents = new TaskEventStream(() => this.#use(), this.#clock);
  }

  watchTask(taskId: string): Promise<TaskWatch | undefined> {
    return this.#taskEvents.watch(taskId);
  }

  prepareTaskEvents(): void {
    if (!this.#closing) this.#taskEvents.prepare();
  }

  get taskEventsProblem(): string | undefined {
    return this.#taskEvents.problem;
  }

  async subscribe(options: SubscribeOptions): Promise<PulseSubscription> {
    return QueueSubscription.open(await this.#use(), options, this.#clock);
  }

  async publish(exchange: string, routingKey: string, body: unknown): Promise<void> {
    const session = await this.#use();
    await session.publish(exchange, routingKey, Buffer.from(JSON.stringify(body)));
  }

  /** Declares a durable topic exchange under our namespace (e.g. the check-result exchange). */
  async declareExchange(exchange: string): Promise<void> {
    await (await this.#use()).declareExchange(exchange);
  }

  /** Closes the connection; its exclusive queues go with it. Further use throws; a second call waits for the first. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const session = await this.#opened?.catch(() => undefined);
      await session?.close();
    })();
    return this.#closing;
  }

  #use(): Promise<PulseSession> {
    if (this.#closing) return Promise.reject(new PulseError(`the Pulse connection to ${this.settings.redactedUrl} is closed`, this.settings.redactedUrl));
    this.#opened = this.#session();
    return this.#opened;
  }
}
