import { defineCheck } from '../src/check/define.js';
import { param } from '../src/check/params.js';
import { createProbeTask } from '../src/taskcluster/task.js';
import { cancelTaskScopes, createTaskScopes, pollIntervalParam, taskHygieneParams } from '../src/taskcluster/task-params.js';
import { describeResolution, runTimings } from '../src/taskcluster/task-status.js';
import { waitForResolution } from '../src/taskcluster/wait.js';

/** built-in-workers resolve these at once: the queue's claim path, end to end, with nothing else in the way. */
const builtInCheck = (workerType: 'succeed' | 'fail', expected: 'completed' | 'failed') => {
  const taskQueueId = `built-in/${workerType}`;
  return defineCheck({
    id: `queue.built-in-${workerType}`,
    description: `A task on ${taskQueueId} is claimed within the claim SLA and resolves ${expected}`,
    tags: ['queue', 'task', 'smoke'],
    schedule: '*/15 * * * *',
    timeout: '5m',
    params: {
      ...taskHygieneParams,
      claimSla: param.duration('60s', 'Longest acceptable wait for a built-in worker to claim the task'),
      pollInterval: pollIntervalParam,
    },
    scopes: (params) => ({ AllOf: [...createTaskScopes(taskQueueId, params), cancelTaskScopes(params)] }),
    async run(ctx) {
      const task = await createProbeTask(ctx, {
        taskQueueId, payload: {}, schedulerId: ctx.params.schedulerId, projectId: ctx.params.projectId,
        deadlineMs: ctx.params.deadline, expiresMs: ctx.params.expires,
      });
      const { status, seenAtMs } = await waitForResolution(ctx, task, { claimSla: ctx.params.claimSla, pollIntervalMs: ctx.params.pollInterval });
      const { claimLatencyMs, resolveMs } = runTimings(status);
      if (claimLatencyMs !== undefined) ctx.metric('claim_latency_ms', claimLatencyMs, { unit: 'ms', limit: ctx.params.claimSla });
      if (resolveMs !== undefined) ctx.metric('resolve_ms', resolveMs, { unit: 'ms' });
      ctx.metric('e2e_ms', seenAtMs - task.createdAtMs, { unit: 'ms' });
      if (status.state !== expected) ctx.fail(`task ${task.taskId} resolved ${describeResolution(status)}, expected ${expected}`);
    },
  });
};

export const builtInSucceed = builtInCheck('succeed', 'completed');
export const builtInFail = builtInCheck('fail', 'failed');
