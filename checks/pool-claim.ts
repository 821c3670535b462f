import { defineCheck, defineCheckFamily } from '../src/check/define.js';
import { formatDuration } from '../src/check/duration.js';
import { param } from '../src/check/params.js';
import { probePayload } from '../src/pools/payload.js';
import { createProbeTask } from '../src/taskcluster/task.js';
import { cancelTaskScopes, createTaskScopes, taskHygieneParams } from '../src/taskcluster/task-params.js';
import { describeResolution, runTimings } from '../src/taskcluster/task-status.js';
import { waitForResolution } from '../src/taskcluster/wait.js';

/** Room after the SLAs for creating, polling and canceling. */
const MARGIN_MS = 2 * 60_000;

/** pool.<taskQueueId>.claim, for each configured pool that runs tasks (implementation other than none). */
export const poolClaim = defineCheckFamily(({ pools }) =>
  pools.flatMap((pool) => {
    const payload = probePayload(pool);
    if (!payload) return [];
    const { taskQueueId, claimSla, resolveSla, priority } = pool;
    return [defineCheck({
      id: `pool.${taskQueueId}.claim`,
      description: `A minimal ${pool.implementation} task on ${taskQueueId} is claimed within ${formatDuration(claimSla)} and completes within ${formatDuration(resolveSla)}`,
      tags: ['pool', 'task', taskQueueId],
      schedule: pool.schedule ?? '*/15 * * * *',
      timeout: formatDuration(claimSla + resolveSla + MARGIN_MS),
      params: {
        ...taskHygieneParams,
        // The task must outlive both SLAs, or the queue resolves it deadline-exceeded before the SLA speaks.
        deadline: param.duration(formatDuration(claimSla + resolveSla + MARGIN_MS), 'Task deadline, after creation'),
      },
      scopes: (params) => ({ AllOf: [...createTaskScopes(taskQueueId, params, [], priority), cancelTaskScopes(params)] }),
      async run(ctx) {
        const task = await createProbeTask(ctx, {
          taskQueueId, payload, schedulerId: ctx.params.schedulerId, projectId: ctx.params.projectId,
          deadlineMs: ctx.params.deadline, expiresMs: ctx.params.expires, ...(priority ? { priority } : {}),
        });
        // Past the claim SLA the wait fails at once; the task's cleanup then cancels it so it never takes capacity.
        const { status, seenAtMs } = await waitForResolution(ctx, task, { claimSla, resolveSla });
        const { claimLatencyMs, resolveMs } = runTimings(status);
        if (claimLatencyMs !== undefined) ctx.metric('claim_latency_ms', claimLatencyMs, { unit: 'ms', limit: claimSla });
        if (resolveMs !== undefined) ctx.metric('resolve_ms', resolveMs, { unit: 'ms', limit: resolveSla });
        ctx.metric('e2e_ms', seenAtMs - task.createdAtMs, { unit: 'ms' });
        if (status.state !== 'completed') ctx.fail(`task ${task.taskId} on ${taskQueueId} resolved ${describeResolution(status)}, expected completed`);
      },
    })];
  }),
);
