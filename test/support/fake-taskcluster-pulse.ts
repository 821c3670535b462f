// Plays the Taskcluster services on the test broker: connected as the admin user, it declares the real
// queue and notify exchanges and publishes the messages the queue and notify services would, shaped like the
// recorded v74 messages (test/fixtures/taskcluster-v74/pulse-*.json): same routing-key layout, routes as
// RabbitMQ `CC` headers, same bodies with the task's own ids and times put in.

import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { TASKCLUSTER_EXCHANGES } from '../../src/pulse/names.js';
import { fixture } from './deployment.js';

/** The task events with a recorded message to copy. */
export type TaskEvent = 'task-defined' | 'task-pending' | 'task-running' | 'task-completed' | 'task-failed';

export interface FakeTask {
  taskId: string;
  /** Task routes R; each is delivered as CC `route.R`. */
  routes: string[];
  /** Default: the taskId. */
  taskGroupId?: string;
  /** Default: "tc-canary". */
  schedulerId?: string;
  /** Server timestamps of run 0; those an event carries default to the moment it is published. */
  scheduled?: string;
  started?: string;
  resolved?: string;
}

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  CC: string[];
  body: any;
}

interface RecordedMessage extends PublishedMessage {
  receivedAt: string;
}

function recorded(name: string): RecordedMessage[] {
  const parsed = fixture<RecordedMessage | RecordedMessage[]>(name);
  return Array.isArray(parsed) ? parsed : [parsed];
}

// built-in/succeed's recording (with routes) for the success path; built-in/fail's for task-failed.
function template(event: TaskEvent): RecordedMessage {
  const messages = recorded(`pulse-queue-${event}.json`);
  return messages.find((message) => message.CC.length > 0) ?? messages[0]!;
}

// The queue's routing key: primary.<taskId>.<runId>.<workerGroup>.<workerId>.<provisionerId>.<workerType>.<schedulerId>.<taskGroupId>._
const TASK_ID_WORD = 1;
const SCHEDULER_ID_WORD = 7;
const TASK_GROUP_ID_WORD = 8;

/** The message the queue service publishes on `event` for `task`. */
export function taskEventMessage(event: TaskEvent, task: FakeTask, now = new Date().toISOString()): PublishedMessage {
  const { exchange, routingKey, body } = structuredClone(template(event));
  const taskGroupId = task.taskGroupId ?? task.taskId;
  const schedulerId = task.schedulerId ?? 'tc-canary';

  const words = routingKey.split('.');
  words[TASK_ID_WORD] = task.taskId;
  words[SCHEDULER_ID_WORD] = schedulerId;
  words[TASK_GROUP_ID_WORD] = taskGroupId;

  Object.assign(body.status, { taskId: task.taskId, taskGroupId, schedulerId });
  for (const run of body.status.runs as Record<string, string>[]) {
    for (const field of ['scheduled', 'started', 'resolved'] as const) {
      if (field in run) run[field] = task[field] ?? now;
    }
  }
  return { exchange, routingKey: words.join('.'), CC: task.routes.map((route) => `route.${route}`), body };
}

/** The message notify.pulse({routingKey, message}) publishes. */
export function notificationMessage(routingKey: string, message: unknown): PublishedMessage {
  const [recording] = recorded('pulse-notify-notification.json');
  return {
    exchange: recording!.exchange,
    routingKey: `primary.${routingKey}`,
    CC: [`route.${routingKey}`],
    body: { ...recording!.body, message },
  };
}

export class FakeTaskclusterPulse {
  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  /** Connects as the admin user and declares Taskcluster's exchanges (topic, durable), as the services do. */
  static async connect(adminUrl: string): Promise<FakeTaskclusterPulse> {
    const model = await amqp.connect(adminUrl, { noDelay: true });
    const channel = await model.createConfirmChannel();
    for (const exchange of Object.values(TASKCLUSTER_EXCHANGES)) {
      await channel.assertExchange(exchange, 'topic', { durable: true });
    }
    return new FakeTaskclusterPulse(model, channel);
  }

  async publish(message: PublishedMessage): Promise<PublishedMessage> {
    // RabbitMQ's sender-selected distribution reads the CC header: that is how routes reach `route.*` bindings.
    this.channel.publish(message.exchange, message.routingKey, Buffer.from(JSON.stringify(message.body)), {
      CC: message.CC,
      contentType: 'application/json',
      persistent: true,
    });
    await this.channel.waitForConfirms();
    return message;
  }

  notify(routingKey: string, message: unknown): Promise<PublishedMessage> {
    return this.publish(notificationMessage(routingKey, message));
  }

  taskEvent(event: TaskEvent, task: FakeTask): Promise<PublishedMessage> {
    return this.publish(taskEventMessage(event, task));
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
