import {
  defineCheck, defineCheckFamily, failOnProblems, formatDuration, formatElapsed, fromPoolEntry, param, readBacklog,
  readOldestPending,
} from '../src/check/index.js';

/** pool.<taskQueueId>.backlog, for each configured pool: is work piling up or waiting too long? */
export const poolBacklog = defineCheckFamily(({ pools }) =>
  pools.map(({ taskQueueId, maxPending, maxPendingAge, schedule }) => defineCheck({
    id: `pool.${taskQueueId}.backlog`,
    description: `At most ${maxPending} tasks wait on ${taskQueueId}${maxPendingAge === undefined ? '' : `, none for longer than ${formatDuration(maxPendingAge)}`}`,
    tags: ['pool', 'queue', taskQueueId],
    schedule: schedule ?? '*/5 * * * *',
    timeout: '60s',
    params: { maxPending: fromPoolEntry('maxPending', param.number(maxPending, 'Most tasks that may wait on the pool', { min: 0, integer: true })) },
    // queue:pending-list:<taskQueueId> is optional: without it oldest_pending_s is not measured.
    scopes: { AllOf: [`queue:pending-count:${taskQueueId}`, `queue:claimed-count:${taskQueueId}`] },
    dashboard: { keyMetric: 'pending', group: { kind: 'pool', id: taskQueueId, plot: 'Backlog (pending tasks)', order: 2 } },
    async run(ctx) {
      const problems: string[] = [];
      const backlog = await ctx.step('count pending tasks', () => readBacklog(ctx.tc.queue, taskQueueId));
      const limit = ctx.params.maxPending;
      ctx.metric('pending', backlog.pending, { unit: 'count', limit });
      if (backlog.claimed !== undefined) ctx.metric('claimed', backlog.claimed, { unit: 'count' });
      if (backlog.pending > limit) problems.push(`${backlog.pending} tasks pending on ${taskQueueId} (limit ${limit})`);

      const oldest = await ctx.step('find the oldest pending task', () => readOldestPending(ctx.tc.queue, taskQueueId));
      if ('unavailable' in oldest) {
        ctx.log(`oldest_pending_s not measured: ${oldest.unavailable}`);
      } else {
        const ageS = oldest.insertedMs === undefined ? 0 : Math.max(0, Math.round((ctx.serverNow() - oldest.insertedMs) / 1000));
        ctx.metric('oldest_pending_s', ageS, { unit: 's', limit: maxPendingAge === undefined ? undefined : maxPendingAge / 1000 });
        if (maxPendingAge !== undefined && ageS * 1000 > maxPendingAge) {
          problems.push(`the oldest pending task on ${taskQueueId} has waited ${formatElapsed(ageS * 1000)} (limit ${formatDuration(maxPendingAge)})`);
        }
      }
      failOnProblems(problems);
    },
  })),
);
