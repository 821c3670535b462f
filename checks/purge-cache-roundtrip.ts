import {
  defineCheck, formatDuration, formatElapsed, param, pollIntervalParam, pollUntil, SlaExceeded, withScopeExplanation,
} from '../src/check/index.js';

const WORKER_POOL_ID = 'built-in/succeed';

interface PurgeRequest {
  cacheName: string;
  before: string;
}

/**
 * A purge request for a cache on built-in/succeed shows up in the list workers read (purgeRequests). The
 * service caches that list for a few seconds, so the check polls until a request newer than any seen
 * before appears; comparing the service's own `before` values keeps the prober's clock out of it.
 */
export const purgeCacheRoundtrip = defineCheck({
  id: 'purge-cache.roundtrip',
  description: 'A purgeCache request for built-in/succeed appears in purgeRequests',
  tags: ['purge-cache'],
  schedule: '*/15 * * * *',
  timeout: '3m',
  dashboard: { keyMetric: 'purge_visible_ms' },
  params: {
    cacheName: param.string('tc-canary-cache', 'Name of the cache to purge on built-in/succeed', /^[^\s]{1,255}$/),
    visibleSla: param.duration('60s', 'Longest acceptable time until purgeRequests lists the new request'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({ AllOf: [`purge-cache:${WORKER_POOL_ID}:${params.cacheName}`, `purge-cache:purge-requests::${WORKER_POOL_ID}`] }),
  async run(ctx) {
    const { cacheName } = ctx.params;
    const newestBefore = async (): Promise<number> => {
      const { requests } = (await ctx.tc.purgeCache.purgeRequests(WORKER_POOL_ID)) as { requests: PurgeRequest[] };
      const times = requests.filter((request) => request.cacheName === cacheName).map((request) => Date.parse(request.before));
      return times.length ? Math.max(...times) : Number.NEGATIVE_INFINITY;
    };
    const earlier = await ctx.step('read open purge requests', newestBefore);

    const purgedAtMs = ctx.clock.now();
    await ctx.step(`purge cache ${cacheName} on ${WORKER_POOL_ID}`,
      () => withScopeExplanation(`purgeCache ${WORKER_POOL_ID}/${cacheName}`, () => ctx.tc.purgeCache.purgeCache(WORKER_POOL_ID, { cacheName })));

    const seen = await ctx.step('wait for the request in purgeRequests', () => pollUntil(
      ctx, { sinceMs: purgedAtMs, limitMs: ctx.params.visibleSla, intervalMs: ctx.params.pollInterval },
      async () => ((await newestBefore()) > earlier ? true : undefined),
    ));
    const visibleMs = seen.atMs - purgedAtMs;
    ctx.metric('purge_visible_ms', visibleMs, { unit: 'ms', limit: ctx.params.visibleSla });
    if (!seen.value) {
      throw new SlaExceeded(`purge request for ${cacheName} not listed by purgeRequests(${WORKER_POOL_ID}) after ${formatElapsed(visibleMs)} (limit ${formatDuration(ctx.params.visibleSla)})`);
    }
  },
});
