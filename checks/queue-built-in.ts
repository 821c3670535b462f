import {
  cancelTaskScopes, claimSlaParam, createProbeTask, createTaskScopes, defineCheck, pollIntervalParam,
  probeTaskLeftovers, taskHygiene, taskHygieneParams, waitForResolution,
} from '../src/check/index.js';

/** built-in-workers resolve these at once: the queue's claim path, end to end, with nothing else in the way. */
const builtInCheck = (workerType: 'succeed' | 'fail', expected: 'completed' | 'failed') => {
  const taskQueueId = `built-in/${workerType}`;
  return defineCheck({
    id: `queue.built-in-${workerType}`,
    description: `A task on ${taskQueueId} is claimed within the claim SLA and resolves ${expected}`,
    tags: ['queue', 'task', 'smoke'],
    schedule: '*/15 * * * *',
    timeout: '5m',
    watches: { service: 'built-in-workers', process: 'server' },
    params: {
      ...taskHygieneParams,
      claimSla: claimSlaParam,
      pollInterval: pollIntervalParam,
    },
    scopes: (params) => ({ AllOf: [...createTaskScopes(taskQueueId, params), cancelTaskScopes(params)] }),
    leftovers: (params) => probeTaskLeftovers([taskQueueId], params),
    dashboard: { keyMetric: 'claim_latency_ms' },
    async run(ctx) {
      const task = await createProbeTask(ctx, { ...taskHygiene(ctx.params), taskQueueId, payload: {} });
      await waitForResolution(ctx, task, { claimSla: ctx.params.claimSla, pollIntervalMs: ctx.params.pollInterval, expect: { state: expected }, measure: true });
    },
  });
};

export const builtInSucceed = builtInCheck('succeed', 'completed');
export const builtInFail = builtInCheck('fail', 'failed');
