import {
  CLOUD_PROVIDER_TYPES, defineCheck, defineCheckFamily, failOnProblems, formatDuration, formatElapsed, listPoolWorkers,
  readManagedPool, readProviderTypes, stalestChecked,
} from '../src/check/index.js';

interface ScannerAge {
  workerPoolId: string;
  worker: string;
  ageMs: number;
  limitMs: number;
}

/**
 * worker-manager.scanner, when pools are configured. The worker scanner visits every cloud worker each loop and
 * stamps its lastChecked; the stalest stamp among running workers says when the loop last came round. Static
 * workers are never visited, so only pools of cloud providers tell anything.
 */
export const workerManagerScanner = defineCheckFamily(({ pools }) => {
  if (pools.length === 0) return [];
  const limits = new Map(pools.map((pool) => [pool.taskQueueId, pool.scannerMaxAge]));
  const poolIds = [...limits.keys()];
  return [defineCheck({
    id: 'worker-manager.scanner',
    description: `worker-manager's worker scanner has visited every running cloud worker of ${poolIds.join(', ')} recently`,
    tags: ['worker-manager', 'loop'],
    schedule: '*/15 * * * *',
    timeout: '2m',
    watches: { service: 'worker-manager', process: 'workerscanner' },
    scopes: {
      AllOf: ['worker-manager:list-providers', ...poolIds.flatMap((id) => [`worker-manager:get-worker-pool:${id}`, `worker-manager:list-workers:${id}`])],
    },
    async run(ctx) {
      const wm = ctx.tc.workerManager;
      const providerTypes = await ctx.step('read provider types', () => readProviderTypes(wm));
      const excluded: string[] = [];
      const cloudPools: string[] = [];
      const ages: ScannerAge[] = [];
      for (const workerPoolId of poolIds) {
        const pool = await ctx.step(`read worker pool ${workerPoolId}`, () => readManagedPool(wm, workerPoolId));
        if (!pool) {
          excluded.push(`${workerPoolId}: not a worker-manager pool`);
          continue;
        }
        const providerType = providerTypes.get(pool.providerId) ?? 'unknown';
        if (!CLOUD_PROVIDER_TYPES.includes(providerType)) {
          excluded.push(`${workerPoolId}: provider ${pool.providerId} is ${providerType}`);
          continue;
        }
        cloudPools.push(workerPoolId);
        const running = await ctx.step(`list running workers of ${workerPoolId}`, () => listPoolWorkers(wm, workerPoolId, 'running'));
        const stalest = stalestChecked(running);
        if (!stalest) continue;
        const ageMs = Math.max(0, ctx.serverNow() - stalest.lastCheckedMs);
        ages.push({ workerPoolId, worker: `${stalest.worker.workerGroup}/${stalest.worker.workerId}`, ageMs, limitMs: limits.get(workerPoolId)! });
        ctx.log(`${workerPoolId}: stalest lastChecked ${formatElapsed(ageMs)} ago (worker ${stalest.worker.workerGroup}/${stalest.worker.workerId})`);
      }
      if (cloudPools.length === 0) ctx.skip(`no configured pool is on a cloud provider (${excluded.join('; ')})`);
      if (ages.length === 0) ctx.skip(`no running workers on the cloud pools ${cloudPools.join(', ')}`);

      // One metric for the run: the pool nearest to (or furthest past) its own limit.
      const worst = ages.reduce((a, b) => (b.ageMs / b.limitMs > a.ageMs / a.limitMs ? b : a));
      ctx.metric('scanner_age_s', Math.round(worst.ageMs / 1000), { unit: 's', limit: worst.limitMs / 1000 });
      failOnProblems(ages.filter((age) => age.ageMs > age.limitMs).map((age) =>
        `the worker scanner last checked worker ${age.worker} of ${age.workerPoolId} ${formatElapsed(age.ageMs)} ago (limit ${formatDuration(age.limitMs)})`));
    },
  })];
});
