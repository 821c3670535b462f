import {
  cancelTaskScopes, createProbeTask, createTaskScopes, defineCheck, defineCheckFamily, formatDuration, fromPoolEntry,
  param, probePayload, probeTaskLeftovers, taskHygiene, taskHygieneParams, waitForResolution,
} from '../src/check/index.js';

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
        claimSla: fromPoolEntry('claimSla', param.duration(formatDuration(claimSla), 'Longest acceptable wait for a worker of the pool to claim the task')),
        resolveSla: fromPoolEntry('resolveSla', param.duration(formatDuration(resolveSla), 'Longest acceptable run of the task once claimed')),
      },
      scopes: (params) => ({ AllOf: [...createTaskScopes(taskQueueId, params, [], priority), cancelTaskScopes(params)] }),
      leftovers: (params) => probeTaskLeftovers([taskQueueId], params),
      dashboard: { keyMetric: 'claim_latency_ms', group: { kind: 'pool', id: taskQueueId, plot: 'Claim latency', order: 1 } },
      async run(ctx) {
        const task = await createProbeTask(ctx, { ...taskHygiene(ctx.params), taskQueueId, payload, ...(priority ? { priority } : {}) });
        // Past the claim SLA the wait fails at once; the task's cleanup then cancels it so it never takes capacity.
        await waitForResolution(ctx, task, { claimSla: ctx.params.claimSla, resolveSla: ctx.params.resolveSla, expect: { state: 'completed' }, measure: true });
      },
    })];
  }),
);
