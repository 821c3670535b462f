import {
  cancelTaskScopes, createProbeTask, createTaskScopes, defineCheck, param, pollIntervalParam, probeTaskLeftovers,
  taskHygiene, taskHygieneParams, waitForResolution,
} from '../src/check/index.js';

// The task's deadline is what the check is about: its own param `deadlineIn`, seconds ahead, takes the place
// of the shared `deadline` (minutes ahead).
const { deadline: _sharedDeadline, ...hygieneParams } = taskHygieneParams;

/**
 * The queue's deadline resolver: a task on a task queue no worker serves is never claimed, so only the
 * resolver can end it, `exception` / `deadline-exceeded`, once its deadline (plus the queue's deadlineDelay,
 * 60 s by default) has passed. It takes no capacity from anyone; see docs/checks.md.
 */
export const queueDeadlineResolver = defineCheck({
  id: 'queue.deadline-resolver',
  description: 'A task nobody claims, with a deadline a few seconds ahead, is resolved exception/deadline-exceeded by the deadline resolver',
  tags: ['queue', 'task', 'loop'],
  // A run lasts deadlineIn + deadlineDelay (~75 s): every 10 minutes a stalled resolver is seen within 15.
  schedule: '*/10 * * * *',
  timeout: '6m',
  watches: { service: 'queue', process: 'deadlineResolver' },
  params: {
    ...hygieneParams,
    taskQueueId: param.string('tc-canary/deadline-probe', 'A task queue that no worker serves', /^[a-zA-Z0-9_-]{1,38}\/[a-zA-Z0-9_-]{1,38}$/),
    deadlineIn: param.duration('15s', 'The probe task\'s deadline, after creation'),
    deadlineLagSla: param.duration('3m', 'Longest acceptable time from the deadline to the resolution (the queue waits deadlineDelay, 60s by default, first)'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({ AllOf: [...createTaskScopes(params.taskQueueId, params), cancelTaskScopes(params)] }),
  leftovers: (params) => probeTaskLeftovers([params.taskQueueId], params),
  dashboard: { keyMetric: 'deadline_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const task = await createProbeTask(ctx, { ...taskHygiene({ ...params, deadline: params.deadlineIn }), taskQueueId: params.taskQueueId, payload: {} });
    const deadlineMs = task.deadlineAtMs;
    const { status } = await waitForResolution(ctx, task, {
      unclaimed: true,
      loop: { loop: 'deadline resolver', after: 'its deadline', atMs: deadlineMs, limitMs: params.deadlineLagSla },
      expect: { state: 'exception', reason: 'deadline-exceeded' },
      pollIntervalMs: params.pollInterval,
    });
    const resolved = Date.parse(status.runs.at(-1)?.resolved ?? '');
    if (Number.isNaN(resolved)) return ctx.fail(`task ${task.taskId} resolved without a resolved time in its status`);
    ctx.metric('deadline_lag_ms', resolved - deadlineMs, { unit: 'ms', limit: params.deadlineLagSla });
  },
});
