import {
  cancelTaskScopes, claimSlaParam, createProbeHook, defineCheck, hookGroupIdParam, param, pollIntervalParam,
  probeHookScopes, probeTaskLeftovers, TASK_STATUS_SCOPE, taskHygiene, taskHygieneParams, trackTask, waitForHookFire,
  waitForResolution,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';
const MINUTE_MS = 60_000;

/** `0 <minute> <hour> * * *`: the hooks service's cron (with a seconds field, UTC), once a day at that minute. */
const dailyAt = (ms: number) => {
  const at = new Date(ms);
  return `0 ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
};

/**
 * The hooks service's scheduler: it wakes about once a minute and fires the hooks whose schedule is due. A
 * hook scheduled at the next whole minute must fire within the limit, and its built-in/succeed task complete.
 * The schedule names one minute of the day, so a hook left behind by a crash fires once a day until swept.
 */
export const hooksSchedule = defineCheck({
  id: 'hooks.schedule',
  description: 'A hook scheduled for the next whole minute is fired by the hooks scheduler, its built-in/succeed task completes, and it is removed',
  tags: ['hooks', 'queue', 'task', 'loop'],
  // A run waits up to 70 s for its minute and 90 s for the fire: every 10 minutes, a stall is seen within 15.
  schedule: '*/10 * * * *',
  timeout: '5m',
  watches: { service: 'hooks', process: 'scheduler' },
  params: {
    ...taskHygieneParams,
    hookGroupId: hookGroupIdParam,
    // The scheduler must see the hook before its minute comes.
    scheduleLead: param.duration('10s', 'The hook is scheduled at the next whole minute at least this far ahead'),
    claimSla: claimSlaParam,
    scheduleLagSla: param.duration('90s', 'Longest acceptable time from the scheduled minute until the hook fires (the scheduler wakes about once a minute)'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({
    AllOf: [...probeHookScopes(params.hookGroupId), `hooks:status:${params.hookGroupId}/*`, TASK_STATUS_SCOPE, cancelTaskScopes(params)],
  }),
  leftovers: (params) => ({ ...probeTaskLeftovers([TASK_QUEUE_ID], params), hooks: { group: params.hookGroupId } }),
  dashboard: { keyMetric: 'schedule_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const scheduledMs = Math.ceil((ctx.serverNow() + params.scheduleLead) / MINUTE_MS) * MINUTE_MS;
    const hook = await createProbeHook(ctx, params.hookGroupId, { ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {} }, { schedule: [dailyAt(scheduledMs)] });
    const scheduledAt = new Date(scheduledMs).toISOString();
    ctx.log(`hook ${hook.name} is scheduled at ${scheduledAt}`);

    const fire = await waitForHookFire(ctx, hook, {
      after: scheduledMs,
      loop: { loop: 'hooks scheduler', after: `its scheduled time ${scheduledAt}`, atMs: scheduledMs, limitMs: params.scheduleLagSla },
      pollIntervalMs: params.pollInterval,
    });
    trackTask(ctx, fire.taskId);
    ctx.metric('schedule_lag_ms', fire.firedAtMs - scheduledMs, { unit: 'ms', limit: params.scheduleLagSla });

    await waitForResolution(ctx, { taskId: fire.taskId, createdAtMs: ctx.clock.now() }, {
      claimSla: params.claimSla, pollIntervalMs: params.pollInterval, purpose: `hook ${hook.name}`, expect: { state: 'completed' },
    });
    await hook.remove();
  },
});
