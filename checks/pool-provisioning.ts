import { defineCheck, defineCheckFamily } from '../src/check/define.js';
import { formatDuration } from '../src/check/duration.js';
import { param } from '../src/check/params.js';
import { readBacklog } from '../src/pools/backlog.js';
import { readCapacity } from '../src/pools/capacity.js';
import { failOnProblems } from '../src/pools/problems.js';
import { roughDuration } from '../src/pools/rough-duration.js';
import { errorsSince, mostFrequentTitles } from '../src/pools/pool-errors.js';
import { findWorkStrike, observeWithinRun, type CapacitySample } from '../src/pools/work-strike.js';
import { notManagedReason, readManagedPool } from '../src/pools/worker-pool.js';

/** pool.<taskQueueId>.provisioning, for each configured pool that worker-manager manages. */
export const poolProvisioning = defineCheckFamily(({ pools }) =>
  pools.map(({ taskQueueId, maxErrors, errorWindow, schedule }) => defineCheck({
    id: `pool.${taskQueueId}.provisioning`,
    description: `worker-manager provisions ${taskQueueId}: at most ${maxErrors} pool errors in ${formatDuration(errorWindow)}, and pending work gets capacity`,
    tags: ['pool', 'worker-manager', taskQueueId],
    schedule: schedule ?? '*/15 * * * *',
    timeout: '3m',
    params: {
      // worker-manager's provisioner loops every ~10 s: the window must span a couple of its iterations.
      strikeSamples: param.number(3, 'Capacity samples before declaring a work strike', { min: 2, max: 20, integer: true }),
      strikeInterval: param.duration('10s', 'Time between capacity samples'),
    },
    scopes: {
      AllOf: [
        `worker-manager:get-worker-pool:${taskQueueId}`,
        `worker-manager:list-worker-pool-errors:${taskQueueId}`,
        `worker-manager:list-workers:${taskQueueId}`,
        `queue:pending-count:${taskQueueId}`,
        `queue:claimed-count:${taskQueueId}`,
      ],
    },
    async run(ctx) {
      const wm = ctx.tc.workerManager;
      const pool = await ctx.step('read the worker pool', () => readManagedPool(wm, taskQueueId));
      if (!pool) ctx.skip(notManagedReason(taskQueueId));
      const problems: string[] = [];

      const errors = await ctx.step(`list pool errors of the last ${formatDuration(errorWindow)}`, () => errorsSince(wm, taskQueueId, ctx.serverNow() - errorWindow));
      ctx.metric('errors', errors.length, { unit: 'count', limit: maxErrors });
      if (errors.length > maxErrors) {
        problems.push(`${errors.length} worker pool errors on ${taskQueueId} in the last ${formatDuration(errorWindow)} (limit ${maxErrors}); most frequent: ${mostFrequentTitles(errors)}`);
      }

      const observer = observeWithinRun({ samples: ctx.params.strikeSamples, intervalMs: ctx.params.strikeInterval, sleep: (ms) => ctx.sleep(ms) });
      const take = async (): Promise<CapacitySample> => {
        const [backlog, capacity] = await Promise.all([readBacklog(ctx.tc.queue, taskQueueId), readCapacity(wm, taskQueueId)]);
        return { atMs: ctx.clock.now(), pending: backlog.pending, requested: capacity.requested, running: capacity.running };
      };
      const samples = await ctx.step('observe pending work against capacity', () => observer.observe(take));
      const latest = samples.at(-1)!;
      ctx.metric('requested_capacity', latest.requested, { unit: 'count' });
      ctx.metric('running_capacity', latest.running, { unit: 'count' });
      const strike = findWorkStrike(samples, observer.windowMs);
      if (strike) {
        problems.push(`work strike on ${taskQueueId}: ${strike.pending} tasks pending while requested and running capacity stayed 0 over ${roughDuration(strike.spanMs)} (${strike.samples} samples)`);
      }
      failOnProblems(problems);
    },
  })),
);
