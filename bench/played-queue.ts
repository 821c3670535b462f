// A loopback deployment that plays the queue with real timings, for the task-latency bench and the tests of
// event-driven waits: createTask makes a task pending, a worker "claims" it claimDelayMs later and resolves
// it resolveDelayMs after that, as built-in-workers do (0.2-0.9 s create to resolved on a real v74). At each
// transition the status changes first and then, like the queue service, the task's message goes out on the
// real broker: task-pending, task-running, task-completed (or task-failed), with v74's routing-key layout
// and body. It also answers the preflight (/__version__, auth.currentScopes with `*`) and every ping.

import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerDelay, LOOPBACK, type NetworkDistance } from './network-distance.js';

export interface PlayedQueueOptions {
  /** From createTask until a worker claims the task. */
  claimDelayMs: number;
  /** From the claim until the worker resolves it. */
  resolveDelayMs: number;
  /** The broker as the queue service's user (it declares Taskcluster's exchanges); no messages without it. */
  amqpUrl?: string;
  /** How far away it answers (default: at once). Its transitions and messages keep their own timings. */
  distance?: NetworkDistance;
  /** Called as createTask arrives, before it is answered (a test looks at the broker then). */
  onCreate?: (taskId: string) => Promise<void>;
}

type State = 'pending' | 'running' | 'completed' | 'failed' | 'exception';

interface PlayedTask {
  taskId: string;
  definition: Record<string, any>;
  state: State;
  scheduled: string;
  started?: string;
  resolved?: string;
  reasonResolved?: string;
  timers: NodeJS.Timeout[];
}

const EXCHANGE_OF: Record<State, string> = {
  pending: 'exchange/taskcluster-queue/v1/task-pending',
  running: 'exchange/taskcluster-queue/v1/task-running',
  completed: 'exchange/taskcluster-queue/v1/task-completed',
  failed: 'exchange/taskcluster-queue/v1/task-failed',
  exception: 'exchange/taskcluster-queue/v1/task-exception',
};

const WORKER = { workerGroup: 'built-in', workerId: 'succeed' };
const now = () => new Date().toISOString();

export class PlayedQueue {
  readonly tasks = new Map<string, PlayedTask>();
  /** queue.status requests answered, per task. */
  readonly statusReads = new Map<string, number>();
  /** The transitions whose message the broker did not take (it was down): the task's state changed all the same. */
  readonly unpublished: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly rootUrl: string,
    private readonly options: PlayedQueueOptions,
    private readonly broker: { model: ChannelModel; channel: ConfirmChannel } | undefined,
  ) {}

  static async start(options: PlayedQueueOptions): Promise<PlayedQueue> {
    let broker: { model: ChannelModel; channel: ConfirmChannel } | undefined;
    if (options.amqpUrl) {
      const model = await amqp.connect(options.amqpUrl, { noDelay: true });
      const channel = await model.createConfirmChannel();
      // A broker that stops (a test stops it mid-wait) takes the connection: the later messages are lost, as
      // the queue service's would be, and the transitions go on (see transition).
      model.on('error', () => {});
      channel.on('error', () => {});
      for (const exchange of Object.values(EXCHANGE_OF)) await channel.assertExchange(exchange, 'topic', { durable: true });
      broker = { model, channel };
    }
    let played: PlayedQueue | undefined;
    const delayOf = answerDelay(options.distance ?? LOOPBACK);
    const server = createServer((request, response) => {
      const delayMs = delayOf(request);
      void played!.answer(request).then(([status, body]) => setTimeout(() => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', date: new Date().toUTCString() });
        response.end(JSON.stringify(body));
      }, delayMs));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    played = new PlayedQueue(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options, broker);
    return played;
  }

  /** The queue's answer to queue.status for a task. */
  status(taskId: string): Record<string, unknown> {
    const task = this.tasks.get(taskId)!;
    const run: Record<string, unknown> = { runId: 0, state: task.state, reasonCreated: 'scheduled', scheduled: task.scheduled };
    if (task.started) Object.assign(run, WORKER, { takenUntil: new Date(Date.parse(task.started) + 1_200_000).toISOString(), started: task.started });
    if (task.resolved) Object.assign(run, { reasonResolved: task.reasonResolved, resolved: task.resolved });
    const [provisionerId, workerType] = String(task.definition.taskQueueId).split('/');
    return {
      taskId, provisionerId, workerType, taskQueueId: task.definition.taskQueueId, schedulerId: task.definition.schedulerId,
      projectId: task.definition.projectId, taskGroupId: task.definition.taskGroupId ?? taskId, deadline: task.definition.deadline,
      expires: task.definition.expires, retriesLeft: 0, state: task.state, runs: [run],
    };
  }

  async close(): Promise<void> {
    for (const task of this.tasks.values()) task.timers.forEach(clearTimeout);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Already gone with a broker that stopped.
    await this.broker?.model.close().catch(() => {});
  }

  private async answer(request: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(request.url ?? '/', this.rootUrl).pathname;
    const body = await jsonBody(request);
    if (path === '/api/auth/v1/scopes/current') return [200, { scopes: ['*'] }];
    if (path.endsWith('/ping')) return [200, { alive: true, uptime: 1 }];
    const match = /^\/api\/queue\/v1\/task\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (!match) return [200, { source: 'played-queue', version: '74.0.0', commit: 'played', build: 'played' }];
    const taskId = decodeURIComponent(match[1]!);
    if (request.method === 'PUT') return [200, { status: await this.create(taskId, body as Record<string, any>) }];
    if (!this.tasks.has(taskId)) return [404, { code: 'ResourceNotFound', message: `task ${taskId} does not exist` }];
    if (match[2] === '/cancel') {
      await this.transition(taskId, 'exception', 'canceled');
      return [200, { status: this.status(taskId) }];
    }
    this.statusReads.set(taskId, (this.statusReads.get(taskId) ?? 0) + 1);
    return [200, { status: this.status(taskId) }];
  }

  private async create(taskId: string, definition: Record<string, any>): Promise<Record<string, unknown>> {
    await this.options.onCreate?.(taskId);
    const task: PlayedTask = { taskId, definition, state: 'pending', scheduled: now(), timers: [] };
    this.tasks.set(taskId, task);
    await this.publish(task);
    const { claimDelayMs, resolveDelayMs } = this.options;
    // Only built-in/succeed and built-in/fail have a worker; a task on any other queue stays pending.
    const outcome = ({ 'built-in/succeed': 'completed', 'built-in/fail': 'failed' } as const)[definition.taskQueueId as string];
    if (outcome) {
      task.timers.push(setTimeout(() => void this.transition(taskId, 'running'), claimDelayMs));
      task.timers.push(setTimeout(() => void this.transition(taskId, outcome, outcome), claimDelayMs + resolveDelayMs));
    }
    return this.status(taskId);
  }

  private async transition(taskId: string, state: State, reasonResolved?: string): Promise<void> {
    const task = this.tasks.get(taskId)!;
    if (task.resolved) return;
    task.state = state;
    if (state === 'running') task.started = now();
    else {
      task.resolved = now();
      task.reasonResolved = reasonResolved;
      task.timers.forEach(clearTimeout);
    }
    await this.publish(task).catch((error: Error) => { this.unpublished.push(`${state} ${taskId}: ${error.message}`); });
  }

  /** The queue's message for the task's state: `primary.<taskId>.<runId>.<workerGroup>.<workerId>.<provisionerId>.<workerType>.<schedulerId>.<taskGroupId>._`. */
  private async publish(task: PlayedTask): Promise<void> {
    if (!this.broker) return;
    const status = this.status(task.taskId) as { provisionerId: string; workerType: string; schedulerId: string; taskGroupId: string; runs: Array<{ takenUntil?: string }> };
    const claimed = task.started !== undefined;
    const words = ['primary', task.taskId, '0', claimed ? WORKER.workerGroup : '_', claimed ? WORKER.workerId : '_', status.provisionerId, status.workerType, status.schedulerId, status.taskGroupId, '_'];
    const run = status.runs[0]!;
    // task-running also says until when the claim holds, as v74's does.
    const body = { status, runId: 0, ...(claimed && WORKER), ...(task.state === 'running' && { takenUntil: run.takenUntil }), version: 1 };
    const CC = (task.definition.routes as string[] | undefined ?? []).map((route) => `route.${route}`);
    this.broker.channel.publish(EXCHANGE_OF[task.state], words.join('.'), Buffer.from(JSON.stringify(body)), { CC, contentType: 'application/json', persistent: true });
    await this.broker.channel.waitForConfirms();
  }
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text === '' ? undefined : JSON.parse(text);
}
