import {
  AssertionFailure, canaryRoutePattern, cancelTaskScopes, claimSlaParam, createProbeTask, createTaskScopes, defineCheck,
  param, probeTaskLeftovers, routeNamespaceParam, subscribeToCanaryRoute, TASKCLUSTER_EXCHANGES, taskHygiene,
  taskHygieneParams, waitForResolution, type PulseMessage, type PulseSubscription, type TaskRun, type TaskState,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';

type DelayLimit = 'pendingEventDelay' | 'runningEventDelay' | 'completedEventDelay';

/** A message the queue publishes for a task that runs once and completes. */
interface TaskEvent {
  name: string;
  exchange: string;
  /** The task state the message reports. */
  state: TaskState;
  /** The limit that also bounds the wait for the message once the task resolved. */
  limit: DelayLimit;
  /** The run timestamp the message announces, and the metric of its delay. */
  delay?: { since: 'scheduled' | 'started' | 'resolved'; metric: string };
  /** Since Taskcluster v99.2.1 createTask publishes it best effort: a failed publish is only a warning in the queue's log. */
  bestEffort?: boolean;
}

/** In the order the queue publishes them. */
const EVENTS: readonly TaskEvent[] = [
  { name: 'task-defined', exchange: TASKCLUSTER_EXCHANGES.taskDefined, state: 'unscheduled', limit: 'pendingEventDelay', bestEffort: true },
  { name: 'task-pending', exchange: TASKCLUSTER_EXCHANGES.taskPending, state: 'pending', limit: 'pendingEventDelay', bestEffort: true, delay: { since: 'scheduled', metric: 'pending_event_delay_ms' } },
  { name: 'task-running', exchange: TASKCLUSTER_EXCHANGES.taskRunning, state: 'running', limit: 'runningEventDelay', delay: { since: 'started', metric: 'running_event_delay_ms' } },
  { name: 'task-completed', exchange: TASKCLUSTER_EXCHANGES.taskCompleted, state: 'completed', limit: 'completedEventDelay', delay: { since: 'resolved', metric: 'completed_event_delay_ms' } },
];

/** The part of the queue's message body that is checked. */
interface TaskMessageBody {
  status?: { taskId?: string; state?: string };
  runId?: number;
}

const bodyOf = (message: PulseMessage): TaskMessageBody => (message.body ?? {}) as TaskMessageBody;

interface Received {
  arrived: Map<TaskEvent, PulseMessage>;
  /** Why each missing message is missing. */
  missing: string[];
}

/** Waits for every event at once, so that one missing message costs one wait and all missing ones are named. */
async function receiveEvents(subscription: PulseSubscription, taskId: string, waitFor: (event: TaskEvent) => number, signal: AbortSignal): Promise<Received> {
  const settled = await Promise.allSettled(EVENTS.map((event) => subscription.next(
    (message) => message.exchange === event.exchange && bodyOf(message).status?.taskId === taskId,
    { description: `the ${event.name} message for task ${taskId}`, timeoutMs: waitFor(event), signal },
  )));
  const received: Received = { arrived: new Map(), missing: [] };
  settled.forEach((outcome, index) => {
    const event = EVENTS[index]!;
    if (outcome.status === 'fulfilled') received.arrived.set(event, outcome.value);
    // A dropped connection or an abort is not a missing message: let the runner classify it.
    else if (!(outcome.reason instanceof AssertionFailure)) throw outcome.reason;
    else received.missing.push(event.bestEffort ? `${outcome.reason.message} (since Taskcluster v99.2.1 the queue publishes ${event.name} best effort after createTask: look for a warning in its log)` : outcome.reason.message);
  });
  return received;
}

function orderProblems(arrived: Map<TaskEvent, PulseMessage>): string[] {
  const expected = EVENTS.filter((event) => arrived.has(event));
  const actual = [...expected].sort((a, b) => arrived.get(a)!.sequence - arrived.get(b)!.sequence);
  if (actual.every((event, index) => event === expected[index])) return [];
  return [`the task events arrived as ${actual.map((e) => e.name).join(', ')}; the queue publishes them as ${expected.map((e) => e.name).join(', ')}`];
}

function consistencyProblems(arrived: Map<TaskEvent, PulseMessage>, run: TaskRun): string[] {
  const problems: string[] = [];
  for (const [event, message] of arrived) {
    const { status, runId } = bodyOf(message);
    if (status?.state !== event.state) problems.push(`the ${event.name} message reports state ${String(status?.state)}, expected ${event.state}`);
    if (event.state !== 'unscheduled' && runId !== run.runId) problems.push(`the ${event.name} message is about run ${String(runId)}, the task's run is ${run.runId}`);
  }
  return problems;
}

/** The queue's task events, seen through Pulse: what the index, Treeherder and every task-graph tool consume. */
export const taskEvents = defineCheck({
  id: 'pulse.task-events',
  description: 'A built-in/succeed task with a route delivers task-defined, task-pending, task-running and task-completed on Pulse, in order',
  tags: ['pulse', 'queue', 'task'],
  requires: ['pulse'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  params: {
    ...taskHygieneParams,
    namespace: routeNamespaceParam,
    claimSla: claimSlaParam,
    pendingEventDelay: param.duration('30s', 'Longest acceptable time from the run being scheduled until task-pending arrives (task-defined is awaited as long)'),
    runningEventDelay: param.duration('30s', 'Longest acceptable time from the run starting until task-running arrives'),
    completedEventDelay: param.duration('30s', 'Longest acceptable time from the run resolving until task-completed arrives'),
  },
  scopes: (params) => ({
    AllOf: [...createTaskScopes(TASK_QUEUE_ID, params, [canaryRoutePattern(params.namespace)]), cancelTaskScopes(params)],
  }),
  leftovers: (params) => probeTaskLeftovers([TASK_QUEUE_ID], params),
  async run(ctx) {
    const { route, subscription } = await subscribeToCanaryRoute(ctx, 'subscribe to the task events', EVENTS.map((event) => event.exchange));

    const task = await createProbeTask(ctx, { ...taskHygiene(ctx.params), taskQueueId: TASK_QUEUE_ID, payload: {}, routes: [route] });
    const { status } = await waitForResolution(ctx, task, { claimSla: ctx.params.claimSla, expect: { state: 'completed' } });
    // Probe tasks have retries: 0, so runs[0] is the one run the events are about.
    const run = status.runs[0]!;

    await ctx.step('receive the task events', async () => {
      const { arrived, missing } = await receiveEvents(subscription, task.taskId, (event) => ctx.params[event.limit], ctx.signal);
      // Arrival is on our clock, the run's timestamps on the queue's.
      for (const [event, message] of arrived) {
        const since = event.delay && run[event.delay.since];
        if (event.delay && since) ctx.metric(event.delay.metric, ctx.toServerTime(message.receivedAt) - Date.parse(since), { unit: 'ms', limit: ctx.params[event.limit] });
      }
      const problems = [...missing, ...orderProblems(arrived), ...consistencyProblems(arrived, run)];
      if (problems.length > 0) ctx.fail(problems.join('; '));
    });
  },
});
