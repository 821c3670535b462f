import {
  cancelTaskScopes, claimSlaParam, createProbeTask, createTaskScopes, defineCheck, deleteIndexEntry, formatDuration,
  formatElapsed, markedIndexExtra, param, pollIntervalParam, pollUntil, probeMark, probeTaskLeftovers, SlaExceeded,
  taskHygiene, taskHygieneParams, unlessNotFound, waitForResolution, withScopeExplanation,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';

/**
 * A completed task with an `index.<path>` route is inserted into the index by the index service's Pulse
 * handler: finding it proves queue → Pulse → index, and the time it took is that path's lag.
 */
export const indexRoundtrip = defineCheck({
  id: 'index.roundtrip',
  description: 'A task routed to index.<indexPrefix>.<nonce> is found by index.findTask soon after it completes',
  tags: ['index', 'queue', 'pulse', 'task'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  watches: { service: 'index', process: 'handlers' },
  params: {
    ...taskHygieneParams,
    indexPrefix: param.string('project.tc-canary', 'Index namespace the probe tasks are indexed under', /^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$/),
    claimSla: claimSlaParam,
    indexLagSla: param.duration('60s', 'Longest acceptable time from the task resolving to index.findTask finding it'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({
    AllOf: [
      ...createTaskScopes(TASK_QUEUE_ID, params, [`index.${params.indexPrefix}.*`]),
      `index:find-task:${params.indexPrefix}.*`,
      `index:delete-task:${params.indexPrefix}.*`,
      cancelTaskScopes(params),
    ],
  }),
  leftovers: (params) => ({ ...probeTaskLeftovers([TASK_QUEUE_ID], params), indexEntries: { prefix: params.indexPrefix } }),
  dashboard: { keyMetric: 'index_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const indexPath = `${params.indexPrefix}.${ctx.nonce}`;
    ctx.resource('index', indexPath);
    // The entry the index service makes of the task is removed on every path. One inserted after this cleanup
    // (a slow index past its SLA) carries the mark in its data, so `tc-canary sweep` finds it.
    ctx.defer(`delete index entry ${indexPath}`, () => withScopeExplanation(`index.deleteTask ${indexPath}`, () => deleteIndexEntry(ctx.tc.index, indexPath)));
    const task = await createProbeTask(ctx, {
      ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {}, routes: [`index.${indexPath}`],
      extra: markedIndexExtra(probeMark(ctx.clock.now(), { check: ctx.checkId, runId: ctx.runId, nonce: ctx.nonce })),
    });
    // Only completed tasks are indexed.
    const { status, seenAtMs } = await waitForResolution(ctx, task, { claimSla: params.claimSla, pollIntervalMs: params.pollInterval, expect: { state: 'completed' } });
    const resolvedMs = Date.parse(status.runs.at(-1)?.resolved ?? '');
    // The limit counts from `resolved`, on the deployment's clock; on ours that is the moment below.
    const resolvedHereMs = Number.isNaN(resolvedMs) ? seenAtMs : Math.min(seenAtMs, resolvedMs - (ctx.serverNow() - ctx.clock.now()));

    const found = await ctx.step(`find ${indexPath} in the index`, () => pollUntil(ctx, { sinceMs: resolvedHereMs, limitMs: params.indexLagSla, intervalMs: params.pollInterval },
      () => unlessNotFound(ctx.tc.index.findTask(indexPath) as Promise<{ taskId: string }>)));
    // An uncorrected skew of a few seconds could make a tiny lag negative; it is zero then.
    const lag = Math.max(0, ctx.toServerTime(found.atMs) - (Number.isNaN(resolvedMs) ? ctx.toServerTime(seenAtMs) : resolvedMs));
    ctx.metric('index_lag_ms', lag, { unit: 'ms', limit: params.indexLagSla });
    if (found.value === undefined) {
      throw new SlaExceeded(`index handlers: ${indexPath} not found ${formatElapsed(lag)} after the task resolved (limit ${formatDuration(params.indexLagSla)})`);
    }
    if (found.value.taskId !== task.taskId) ctx.fail(`index.findTask(${indexPath}) answered task ${found.value.taskId}, expected ${task.taskId}`);
  },
});
