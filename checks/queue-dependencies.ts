import { defineCheck } from '../src/check/define.js';
import { param } from '../src/check/params.js';
import { createProbeTask, type ProbeTask } from '../src/taskcluster/task.js';
import { cancelTaskScopes, createTaskScopes, pollIntervalParam, taskHygieneParams } from '../src/taskcluster/task-params.js';
import { describeResolution, type TaskStatus } from '../src/taskcluster/task-status.js';
import { waitForResolution } from '../src/taskcluster/wait.js';

const TASK_QUEUE_ID = 'built-in/succeed';
const CHAIN_LENGTH = 3;

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * A chain of three built-in/succeed tasks, each depending on the one before: the dependency resolver must
 * schedule each child once its parent completed. Its lag is measured from the queue's own timestamps.
 */
export const queueDependencies = defineCheck({
  id: 'queue.dependencies',
  description: 'Three dependent tasks complete in order; the dependency resolver schedules each child promptly',
  tags: ['queue', 'task'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  params: {
    ...taskHygieneParams,
    claimSla: param.duration('60s', 'Longest acceptable wait for a built-in worker to claim each task'),
    dependencyLagSla: param.duration('60s', 'Longest acceptable time between a parent resolving and its child being scheduled'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({ AllOf: [...createTaskScopes(TASK_QUEUE_ID, params), cancelTaskScopes(params)] }),
  async run(ctx) {
    const { params } = ctx;
    const tasks: ProbeTask[] = [];
    for (let index = 0; index < CHAIN_LENGTH; index++) {
      const parent = tasks[index - 1];
      tasks.push(await createProbeTask(ctx, {
        taskQueueId: TASK_QUEUE_ID, payload: {}, schedulerId: params.schedulerId, projectId: params.projectId,
        deadlineMs: params.deadline, expiresMs: params.expires,
        // One task group, so the chain reads as one thing in the UI.
        ...(parent ? { dependencies: [parent.taskId], taskGroupId: tasks[0]!.taskId } : {}),
        purpose: `${index + 1} of ${CHAIN_LENGTH}`,
      }));
    }

    const statuses: TaskStatus[] = [];
    let parentSeenAtMs: number | undefined;
    for (const [index, task] of tasks.entries()) {
      const { status, seenAtMs } = await waitForResolution(ctx, task, {
        claimSla: params.claimSla,
        scheduleSla: params.dependencyLagSla,
        pollIntervalMs: params.pollInterval,
        purpose: `${index + 1} of ${CHAIN_LENGTH}`,
        ...(parentSeenAtMs !== undefined ? { sinceMs: parentSeenAtMs } : {}),
      });
      // The rest of the chain can never run: its cleanups cancel it.
      if (status.state !== 'completed') ctx.fail(`task ${index + 1} of ${CHAIN_LENGTH} (${task.taskId}) resolved ${describeResolution(status)}, expected completed`);
      statuses.push(status);
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
