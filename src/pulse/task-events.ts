// The queue's own events for the tasks being waited on, so a wait wakes the moment a task changes state
// instead of at its next poll. One exclusive queue per connection (a run's, or serve's for all its runs),
// bound per task on `*.<taskId>.#` on the five task exchanges before the task is created, unbound when the
// wait is over. When the broker is lost, every watch says so and the waits go back to polling; a later watch
// opens a fresh queue.

import type { Channel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { TaskEvent, TaskWatch } from './access.js';
import { canaryQueueName, TASKCLUSTER_EXCHANGES } from './names.js';
import { reusable } from './reusable.js';
import type { PulseSession } from './session.js';

/** Each exchange and the state its message announces. */
const STATE_EXCHANGES: ReadonlyArray<[TaskEvent['state'], string]> = [
  ['pending', TASKCLUSTER_EXCHANGES.taskPending],
  ['running', TASKCLUSTER_EXCHANGES.taskRunning],
  ['completed', TASKCLUSTER_EXCHANGES.taskCompleted],
  ['failed', TASKCLUSTER_EXCHANGES.taskFailed],
  ['exception', TASKCLUSTER_EXCHANGES.taskException],
];
const STATE_OF_EXCHANGE = new Map(STATE_EXCHANGES.map(([state, exchange]) => [exchange, state]));

// The queue's routing key: primary.<taskId>.<runId>.<workerGroup>.<workerId>.<provisionerId>.<workerType>.<schedulerId>.<taskGroupId>._
const TASK_ID_WORD = 1;

/**
 * How long a watch waits for the queue to open before the wait starts polling without it: a broker that does
 * not answer must not hold up creating the task.
 */
const OPEN_BUDGET_MS = 2_000;
/** After the queue could not be opened, watches poll without trying again for this long. */
const RETRY_AFTER_MS = 30_000;

const bindingKey = (taskId: string) => `*.${taskId}.#`;

export class TaskEventStream {
  readonly #stream: () => Promise<OpenStream>;
  #failedAtMs = -Infinity;
  #problem: string | undefined;

  constructor(
    session: () => Promise<PulseSession>,
    private readonly clock: Clock,
  ) {
    const lost = (problem: string) => { this.#problem = problem; };
    this.#stream = reusable(() => OpenStream.open(session, clock, lost), (stream) => stream.live);
  }

  /** Why events are unavailable, once an open failed or the stream was lost. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Starts opening the queue (for a run about to create tasks), so the first watch only binds. */
  prepare(): void {
    if (this.clock.now() - this.#failedAtMs >= RETRY_AFTER_MS) this.#stream().catch(() => {}); // the watch that awaits it reports a failure
  }

  /** Binds the task's events; undefined (and `problem` says why) when the broker cannot be used now. */
  async watch(taskId: string): Promise<TaskWatch | undefined> {
    if (this.clock.now() - this.#failedAtMs < RETRY_AFTER_MS) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), OPEN_BUDGET_MS); });
    try {
      const opening = this.#stream().then((stream) => stream.watch(taskId));
      opening.catch(() => {}); // a late failure is seen by the next watch
      const watch = await Promise.race([opening, budget]);
      if (watch === 'late') {
        this.#problem = `the broker did not open a queue for task events within ${OPEN_BUDGET_MS / 1000}s`;
        return undefined;
      }
      return watch;
    } catch (error) {
      this.#failedAtMs = this.clock.now();
      this.#problem = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The open queue and the watches on it, by task. A channel has one request in flight at a time (amqplib sends
 * the next when the broker has answered), so each exchange's bindings go on a channel of their own: a task's
 * five are made in one round trip to the broker instead of five, before its createTask can be sent.
 */
class OpenStream {
  readonly #watches = new Map<string, Set<Watch>>();
  #live = true;

  private constructor(
    private readonly consuming: Channel,
    /** Each task exchange with the channel its bindings go on. */
    private readonly binders: ReadonlyArray<{ exchange: string; channel: Channel }>,
    private readonly queue: string,
    private readonly clock: Clock,
    private readonly onLost: (problem: string) => void,
  ) {
    for (const channel of [consuming, ...binders.map((binder) => binder.channel)]) {
      channel.on('error', () => {}); // the close that follows ends the stream
      channel.on('close', () => this.#lost('the broker closed a channel of the task-event queue'));
    }
  }

  static async open(session: () => Promise<PulseSession>, clock: Clock, onLost: (problem: string) => void): Promise<OpenStream> {
    const opened = await session();
    const queue = canaryQueueName(opened.settings.namespace, 'task-events', randomBytes(6).toString('hex'));
    // One to consume, one per exchange to bind: opened at once, each on its own channel number.
    const opening = await Promise.allSettled(Array.from({ length: 1 + STATE_EXCHANGES.length }, () => opened.createChannel()));
    const channels = opening.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const [consuming, ...binding] = channels;
    try {
      const refused = opening.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
      await consuming!.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
    } catch (error) {
      await Promise.all(channels.map((channel) => channel.close().catch(() => {})));
      throw error;
    }
    const binders = STATE_EXCHANGES.map(([, exchange], i) => ({ exchange, channel: binding[i]! }));
    const stream = new OpenStream(consuming!, binders, queue, clock, onLost);
    // Not awaited: the bindings, on their own channels, need only the queue, and the messages they route wait
    // in it until the consumer is on. A refused consume closes its channel, which ends the stream.
    consuming!.consume(queue, (delivery) => {
      if (delivery === null) stream.#lost(`Pulse deleted the task-event queue "${queue}"`);
      else stream.#arrived(delivery.fields.exchange, delivery.fields.routingKey);
    }, { noAck: true, exclusive: true }).catch(() => {});
    return stream;
  }

  get live(): boolean {
    return this.#live;
  }

  async watch(taskId: string): Promise<TaskWatch> {
    const watch = new Watch(taskId, () => this.#release(watch));
    const watches = this.#watches.get(taskId);
    if (watches) {
      watches.add(watch);
      return watch;
    }
    // Registered before binding, so an event that comes as soon as the binding exists is not missed.
    this.#watches.set(taskId, new Set([watch]));
    await Promise.all(this.binders.map(({ exchange, channel }) => channel.bindQueue(this.queue, exchange, bindingKey(taskId))));
    return watch;
  }

  #arrived(exchange: string, routingKey: string): void {
    const state = STATE_OF_EXCHANGE.get(exchange);
    const taskId = routingKey.split('.')[TASK_ID_WORD];
    if (state === undefined || taskId === undefined) return;
    const event: TaskEvent = { state, receivedAt: this.clock.now() };
    for (const watch of this.#watches.get(taskId) ?? []) watch.arrived(event);
  }

  #release(watch: Watch): void {
    const watches = this.#watches.get(watch.taskId);
    if (!watches?.delete(watch) || watches.size > 0) return;
    this.#watches.delete(watch.taskId);
    if (!this.#live) return;
    for (const { exchange, channel } of this.binders) {
      channel.unbindQueue(this.queue, exchange, bindingKey(watch.taskId)).catch(() => {});
    }
  }

  #lost(problem: string): void {
    if (!this.#live) return;
    this.#live = false;
    this.onLost(problem);
    for (const watches of this.#watches.values()) for (const watch of watches) watch.lost();
  }
}

/** One wait's view of a task's events: those not yet taken, in order of arrival. */
class Watch implements TaskWatch {
  readonly #unread: TaskEvent[] = [];
  #firstResolution: TaskEvent | undefined;
  #live = true;
  #wake: (() => void) | undefined;

  constructor(
    readonly taskId: string,
    readonly release: () => void,
  ) {}

  get live(): boolean {
    return this.#live;
  }

  get firstResolution(): TaskEvent | undefined {
    return this.#firstResolution;
  }

  arrived(event: TaskEvent): void {
    if (event.state === 'completed' || event.state === 'failed' || event.state === 'exception') this.#firstResolution ??= event;
    this.#unread.push(event);
    this.#wake?.();
  }

  lost(): void {
    this.#live = false;
    this.#wake?.();
  }

  discardBefore(ms: number): void {
    while (this.#unread.length > 0 && this.#unread[0]!.receivedAt < ms) this.#unread.shift();
  }

  next(timeoutMs: number, signal: AbortSignal): Promise<TaskEvent | undefined> {
    const ready = this.#unread.shift();
    if (ready || !this.#live) return Promise.resolve(ready);
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
      };
      const onAbort = () => { settle(); reject(signal.reason); };
      const timer = setTimeout(() => { settle(); resolve(undefined); }, timeoutMs);
      this.#wake = () => { settle(); resolve(this.#unread.shift()); };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
