import {
  chooseObserver, defineCheck, defineCheckFamily, describeWorkStrike, errorsSince, failOnProblems, findWorkStrike,
  formatDuration, fromPoolEntry, maxCapacityOf, mostFrequentTitles, noGrowthRule, notManagedReason,
  notProvisionedReason, param, readBacklog, readCapacity, readManagedPool, sampleMetrics, samplesOf,
  type CapacitySample, type CheckContext, type ParamValues, type WorkerPool,
} from '../src/check/index.js';

const DAY_MS = 86_400_000;

const STRIKE_PARAMS = {
  // Across runs, once the history keeps up: a strike after cloud-provider errors lasts; a slow provisioner
  // iteration on a big deployment must not look like one.
  strikeAfter: param.duration('20m', 'How long pending work may see no capacity, or capacity that does not grow, across runs before it is a work strike (once the history reaches back that far)'),
  // Every run watches the pool itself: worker-manager's provisioner loops every ~10 s, so the window must
  // span a couple of its iterations. Without a history that keeps up, this window decides.
  strikeSamples: param.number(3, 'Capacity samples each run takes while the pool looks on strike', { min: 2, max: 20, integer: true }),
  strikeInterval: param.duration('10s', 'Time between those samples'),
};
type ProvisioningContext = CheckContext<ParamValues<typeof STRIKE_PARAMS>>;

/** pool.<taskQueueId>.provisioning, for each configured pool that worker-manager manages. */
export const poolProvisioning = defineCheckFamily(({ pools }) =>
  pools.map(({ taskQueueId, maxErrors, errorWindow, schedule }) => defineCheck({
    id: `pool.${taskQueueId}.provisioning`,
    description: `worker-manager provisions ${taskQueueId}: at most ${maxErrors} pool errors in ${formatDuration(errorWindow)}, and pending work gets capacity`,
    tags: ['pool', 'worker-manager', taskQueueId],
    schedule: schedule ?? '*/15 * * * *',
    timeout: '3m',
    watches: { service: 'worker-manager', process: 'provisioner' },
    dashboard: { group: { kind: 'pool', id: taskQueueId } },
    params: {
      ...STRIKE_PARAMS,
      maxErrors: fromPoolEntry('maxErrors', param.number(maxErrors, 'Most worker-pool errors within errorWindow', { min: 0, integer: true })),
      errorWindow: fromPoolEntry('errorWindow', param.duration(formatDuration(errorWindow), 'How far back worker-pool errors count')),
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
      if (!pool) return ctx.skip(notManagedReason(taskQueueId));
      const problems: string[] = [];

      const { maxErrors: limit, errorWindow: window } = ctx.params;
      const errors = await ctx.step(`list pool errors of the last ${formatDuration(window)}`, () => errorsSince(wm, taskQueueId, ctx.serverNow() - window));
      ctx.metric('errors', errors.length, { unit: 'count', limit });
      if (errors.length > limit) {
        problems.push(`${errors.length} worker pool errors on ${taskQueueId} in the last ${formatDuration(window)} (limit ${limit}); most frequent: ${mostFrequentTitles(errors)}`);
      }

      const notProvisioned = notProvisionedReason(pool);
      if (notProvisioned) {
        ctx.log(`no work-strike verdict: worker-manager is configured not to provision ${taskQueueId} for pending work (${notProvisioned})`);
      } else {
        const strike = await watchForWorkStrike(ctx, pool);
        if (strike) problems.push(strike);
      }
      failOnProblems(problems);
    },
  })),
);

/**
 * The work strike the pool is on, described, or undefined; its last sample is recorded for later runs. A first
 * look that shows no strike by either rule settles it: a healthy pool costs one sample and no history read.
 */
async function watchForWorkStrike(ctx: ProvisioningContext, pool: WorkerPool): Promise<string | undefined> {
  const { strikeAfter, strikeSamples, strikeInterval } = ctx.params;
  const taskQueueId = pool.workerPoolId;
  const maxCapacity = maxCapacityOf(pool);
  const take = async (): Promise<CapacitySample> => {
    const [backlog, capacity] = await Promise.all([readBacklog(ctx.tc.queue, taskQueueId), readCapacity(ctx.tc.workerManager, taskQueueId)]);
    return { atMs: ctx.clock.now(), pending: backlog.pending, claimed: backlog.claimed, requested: capacity.requested, running: capacity.running, stopping: capacity.stopping, maxCapacity };
  };
  const record = (sample: CapacitySample) => {
    for (const [name, value] of sampleMetrics(sample)) ctx.metric(name, value, { unit: 'count' });
  };
  let first: CapacitySample | undefined = await ctx.step('look at pending work against capacity', take);
  if (!noGrowthRule(first)) {
    record(first);
    return undefined;
  }

  const now = ctx.clock.now();
  // A day back (or two windows): a strike that lasts is reported with its whole length.
  const recorded = samplesOf(await ctx.step('read earlier capacity samples from the history', () => ctx.earlierResults(now - Math.max(DAY_MS, 2 * strikeAfter))));
  // Samples from versions that did not record the pool's maximum are judged against today's.
  const earlier = recorded.map((sample) => (sample.maxCapacity === undefined && maxCapacity !== undefined ? { ...sample, maxCapacity } : sample));
  const { observer, acrossRuns } = chooseObserver(earlier, now, strikeAfter, { samples: strikeSamples, intervalMs: strikeInterval, sleep: (ms) => ctx.sleep(ms) });
  // The observation starts with the look already taken.
  const takeNext = async (): Promise<CapacitySample> => {
    const sample = first ?? (await take());
    first = undefined;
    return sample;
  };
  const samples = await ctx.step('observe pending work against capacity', () => observer.observe(takeNext));
  record(samples.at(-1)!);
  const strike = findWorkStrike(samples, observer);
  return strike && describeWorkStrike(taskQueueId, strike, acrossRuns);
}
