// What a check sees of Pulse (ctx.pulse): subscribe before triggering, wait for the messages, publish.
// Implemented by PulseConnection (connection.ts).

/** Which messages a queue receives: an exchange and a topic pattern (`*` one word, `#` any number). */
export interface PulseBinding {
  exchange: string;
  routingKeyPattern: string;
}

export interface SubscribeOptions {
  /** The check's id: part of the queue's name, so the broker's queue list says who made it. */
  check: string;
  /** The attempt's nonce: makes the queue name unique. */
  nonce: string;
  bindings: PulseBinding[];
  /** Gives up (and removes the queue) when the check is aborted while subscribing. */
  signal?: AbortSignal;
}

export interface PulseMessage {
  exchange: string;
  /** The primary routing key (CC routes are in `cc`). */
  routingKey: string;
  /** The sender-selected routes from the `CC` header, e.g. `route.<task route>`. */
  cc: string[];
  /** The JSON body, parsed; a body that is not JSON stays a string. */
  body: unknown;
  /** When the message reached tc-canary, in milliseconds since the epoch, from the connection's clock. */
  receivedAt: number;
  /** 0 for the subscription's first message, then 1, 2, ...: the order of arrival. */
  sequence: number;
}

export interface WaitOptions {
  /** What is awaited, for the failure message: e.g. "the task-running message for task <taskId>". */
  description: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface PulseSubscription {
  /** `queue/<namespace>/tc-canary/<check>/<nonce>`. */
  readonly queue: string;
  /**
   * The first message, in order of arrival, that matches; messages that do not match stay for later calls.
   * Throws an AssertionFailure naming `description` when none arrives in time, a TransientError when the
   * connection dropped before it arrived, and the signal's reason when aborted.
   */
  next(predicate: (message: PulseMessage) => boolean, options: WaitOptions): Promise<PulseMessage>;
  /** Stops consuming and deletes the queue. Safe to call twice and after the connection dropped. */
  close(): Promise<void>;
}

/** A queue event of a watched task: the state its exchange announces, and when it reached tc-canary. */
export interface TaskEvent {
  state: 'pending' | 'running' | 'completed' | 'failed' | 'exception';
  /** Our clock, epoch ms. */
  receivedAt: number;
}

/** The events of one task, for one wait; see PulseAccess.watchTask. */
export interface TaskWatch {
  readonly taskId: string;
  /** False once the broker was lost: no further event will come, the wait polls. */
  readonly live: boolean;
  /** The first completed/failed/exception event that arrived, if any. */
  readonly firstResolution: TaskEvent | undefined;
  /** The next event not yet taken, waiting at most timeoutMs; undefined at the timeout or once the broker is lost. */
  next(timeoutMs: number, signal: AbortSignal): Promise<TaskEvent | undefined>;
  /** Drops the events not yet taken that arrived before this moment (a status read since then already shows them). */
  discardBefore(ms: number): void;
  /** Stops watching; the binding goes when the task's last watch does. */
  release(): void;
}

export interface PulseAccess {
  /** The namespace tc-canary's queues, exchanges and routes live under (by default the Pulse user). */
  readonly namespace: string;
  /** Declares the check's queue and binds it: call it before sending what triggers the messages. */
  subscribe(options: SubscribeOptions): Promise<PulseSubscription>;
  /** Publishes a JSON body and waits for the broker's confirmation. */
  publish(exchange: string, routingKey: string, body: unknown): Promise<void>;
  /** Declares a durable topic exchange under the namespace, so that others (a hook's listener) can bind to it. */
  declareExchange(exchange: string): Promise<void>;
  /**
   * Listens for the queue's task-pending/running/completed/failed/exception events of a task, on the one
   * task-event queue of the connection; bound when this answers, so call it before creating the task.
   * Undefined when the broker cannot be used now: `taskEventsProblem` says why.
   */
  watchTask(taskId: string): Promise<TaskWatch | undefined>;
  /** Starts opening the task-event queue ahead of the first watchTask (a run that will create tasks). */
  prepareTaskEvents(): void;
  readonly taskEventsProblem: string | undefined;
}
