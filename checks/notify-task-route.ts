import {
  AssertionFailure, canaryRoutePattern, cancelTaskScopes, claimSlaParam, createProbeTask, createTaskScopes, defineCheck,
  formatDuration, formatElapsed, param, pollIntervalParam, probeTaskLeftovers, routeNamespaceParam, SlaExceeded,
  subscribeToCanaryRoute, TASKCLUSTER_EXCHANGES, taskHygiene, taskHygieneParams, waitForResolution, type PulseMessage,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';

/** The notify handler's message for a task: `{version: 1, message: <the task's status>}`. */
const isNotificationFor = (taskId: string) => (message: PulseMessage) =>
  (message.body as { message?: { taskId?: string } } | null)?.message?.taskId === taskId;

/**
 * The notify service's handler: it listens to the queue's task events and sends each task's route
 * notifications. A built-in/succeed task with the route `notify.pulse.<routingKey>.on-completed` must make it
 * publish a message on exchange/taskcluster-notify/v1/notification. (pulse.notify-roundtrip calls the notify
 * API directly; this is the Pulse-driven path, and the handler loop behind it.)
 */
export const notifyTaskRoute = defineCheck({
  id: 'notify.task-route',
  description: 'A task with a notify.pulse.<route>.on-completed route makes the notify handler publish a notification once it completes',
  tags: ['notify', 'pulse', 'task', 'loop'],
  requires: ['pulse'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  watches: { service: 'notify', process: 'handler' },
  params: {
    ...taskHygieneParams,
    namespace: routeNamespaceParam,
    claimSla: claimSlaParam,
    notifyHandlerSla: param.duration('60s', 'Longest acceptable time from the task resolving until the notification arrives'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({
    AllOf: [...createTaskScopes(TASK_QUEUE_ID, params, [`notify.pulse.${canaryRoutePattern(params.namespace)}`]), cancelTaskScopes(params)],
  }),
  leftovers: (params) => probeTaskLeftovers([TASK_QUEUE_ID], params),
  dashboard: { keyMetric: 'notify_handler_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const { route: routingKey, subscription } = await subscribeToCanaryRoute(ctx, 'subscribe to the notification route', [TASKCLUSTER_EXCHANGES.notification]);
    const task = await createProbeTask(ctx, {
      ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {}, routes: [`notify.pulse.${routingKey}.on-completed`],
    });
    const { status, seenAtMs } = await waitForResolution(ctx, task, {
      claimSla: params.claimSla, pollIntervalMs: params.pollInterval, expect: { state: 'completed' },
    });
    const resolvedMs = Date.parse(status.runs.at(-1)?.resolved ?? '');
    // The limit counts from `resolved`, on the deployment's clock; the message may already be waiting.
    const leftMs = Math.max(0, resolvedMs + params.notifyHandlerSla - ctx.toServerTime(seenAtMs));
    const message = await ctx.step('receive the notification', async () => {
      try {
        return await subscription.next(isNotificationFor(task.taskId), { description: `the notification for task ${task.taskId}`, timeoutMs: leftMs, signal: ctx.signal });
      } catch (error) {
        // Only a message that never came is the handler's; a dropped connection stays transient (retried).
        if (!(error instanceof AssertionFailure)) throw error;
        const waited = formatElapsed(ctx.serverNow() - resolvedMs);
        throw new SlaExceeded(`notify handler: no notification for task ${task.taskId} on route ${routingKey} ${waited} after it completed (limit ${formatDuration(params.notifyHandlerSla)})`);
      }
    });
    ctx.metric('notify_handler_lag_ms', Math.max(0, ctx.toServerTime(message.receivedAt) - resolvedMs), { unit: 'ms', limit: params.notifyHandlerSla });
  },
});
