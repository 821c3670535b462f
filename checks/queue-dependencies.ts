import {
  cancelTaskScopes, claimSlaParam, createProbeTask, createTaskScopes, defineCheck, param, pollIntervalParam,
  probeTaskLeftovers, taskHygiene, taskHygieneParams, waitForResolution, type ProbeTask, type TaskStatus,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';
const CHAIN_LENGTH = 3;

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * A chain of three built-in/succeed tasks, each depending on the one before: the dependency resolver must
 * schedule each child once its parent completed. Its lag is measured from the queue's own timestamps; a child
 * still unscheduled past the limit fails the check at once, naming the loop.
 */
export const queueDependencies = defineCheck({
  id: 'queue.dependencies',
  description: 'Three dependent tasks complete in order; the dependency resolver schedules each child promptly',
  tags: ['queue', 'task'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  watches: { service: 'queue', process: 'dependencyResolver' },
  params: {
    ...taskHygieneParams,
    claimSla: claimSlaParam,
    dependencyLagSla: param.duration('60s', 'Longest acceptable time between a parent resolving and its child being scheduled'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({ AllOf: [...createTaskScopes(TASK_QUEUE_ID, params), cancelTaskScopes(params)] }),
  leftovers: (params) => probeTaskLeftovers([TASK_QUEUE_ID], params),
  dashboard: { keyMetric: 'dependency_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const tasks: ProbeTask[] = [];
    for (let index = 0; index < CHAIN_LENGTH; index++) {
      const parent = tasks[index - 1];
      tasks.push(await createProbeTask(ctx, {
        ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {},
        // One task group, so the chain reads as one thing in the UI.
        ...(parent ? { dependencies: [parent.taskId], taskGroupId: tasks[0]!.taskId } : {}),
        purpose: `${index + 1} of ${CHAIN_LENGTH}`,
      }));
    }

    const statuses: TaskStatus[] = [];
    let parentResolvedMs: number | undefined;
    let parentSeenAtMs: number | undefined;
    for (const [index, task] of tasks.entries()) {
      const purpose = `${index + 1} of ${CHAIN_LENGTH}`;
      // The rest of the chain can never run once one task fails: its cleanups cancel it.
      const { status, seenAtMs } = await waitForResolution(ctx, task, {
        claimSla: params.claimSla,
        pollIntervalMs: params.pollInterval,
        purpose,
        expect: { state: 'completed' },
        ...(parentResolvedMs !== undefined
          ? { loop: { loop: 'dependency resolver', after: `task ${index} of ${CHAIN_LENGTH} resolved`, atMs: parentResolvedMs, limitMs: params.dependencyLagSla, states: ['unscheduled'] }, sinceMs: parentSeenAtMs! }
          : {}),
      });
      statuses.push(status);
      parentResolvedMs = time(status.runs.at(-1)?.resolved);
      parentSeenAtMs = seenAtMs;
    }

    let maxLag = 0;
    for (let index = 1; index < statuses.length; index++) {
      const parentResolved = time(statuses[index - 1]!.runs.at(-1)?.resolved);
      const childScheduled = time(statuses[index]!.runs[0]?.scheduled);
      if (parentResolved === undefined || childScheduled === undefined) return ctx.fail(`task ${index + 1} of ${CHAIN_LENGTH} has no scheduled or parent resolved time in its status`);
      const lag = childScheduled - parentResolved;
      if (lag < 0) ctx.fail(`task ${index + 1} of ${CHAIN_LENGTH} was scheduled ${-lag} ms before its dependency resolved`);
      maxLag = Math.max(maxLag, lag);
    }
    ctx.metric('dependency_lag_ms', maxLag, { unit: 'ms', limit: params.dependencyLagSla });
    ctx.metric('e2e_ms', parentSeenAtMs! - tasks[0]!.createdAtMs, { unit: 'ms' });
  },
});
