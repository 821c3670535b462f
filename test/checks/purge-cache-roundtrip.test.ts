import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeCacheRoundtrip } from '../../checks/purge-cache-roundtrip.js';
import { ROOT_URL } from '../support/deployment.js';
import { FAST_POLL, JSON_HEADERS, runOne } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const EARLIER = '2026-11-28T10:00:00.000Z';

/**
 * purge-cache for built-in/succeed: an older request for the cache is already open; purgeCache answers 204
 * (v74 replies without a body); purgeRequests keeps answering its cached list for `staleReads` reads after
 * the purge (the service caches it for cacheTime seconds), then shows the new request.
 */
function fakePurgeCache(staleReads: number) {
  const calls = { purged: [] as unknown[], reads: 0 };
  let purgedAt: string | undefined;
  let readsSincePurge = 0;
  nock(ROOT_URL).persist()
    .post('/api/purge-cache/v1/purge-cache/built-in%2Fsucceed').reply((_uri, body) => {
      calls.purged.push(body);
      purgedAt = new Date().toISOString();
      return [204, ''];
    })
    .get('/api/purge-cache/v1/purge-cache/built-in%2Fsucceed').reply(() => {
      calls.reads += 1;
      const fresh = purgedAt !== undefined && readsSincePurge++ >= staleReads;
      const request = (cacheName: string, before: string) => ({ provisionerId: 'built-in', workerType: 'succeed', cacheName, before });
      return [200, { requests: [request('other-cache', '2026-11-29T00:00:00.000Z'), request('tc-canary-cache', fresh ? purgedAt! : EARLIER)] }, JSON_HEADERS];
    });
  return calls;
}

describe('purge-cache.roundtrip', () => {
  it('purges the cache and sees the newer request in purgeRequests once the service\'s cache refreshes', async () => {
    const calls = fakePurgeCache(2);
    const result = await runOne(purgeCacheRoundtrip, FAST_POLL);
    expect(result.outcome).toBe('passed');
    expect(calls.purged).toEqual([{ cacheName: 'tc-canary-cache' }]);
    // One read before the purge, two stale ones, then the fresh one.
    expect(calls.reads).toBe(4);
    expect(result.metrics.purge_visible_ms).toMatchObject({ unit: 'ms', limit: 60_000, ok: true });
  });

  it('fails with the visibility limit when the request never shows up', async () => {
    fakePurgeCache(Number.POSITIVE_INFINITY);
    const result = await runOne(purgeCacheRoundtrip, { ...FAST_POLL, visibleSla: 150 });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(/^purge request for tc-canary-cache not listed by purgeRequests\(built-in\/succeed\) after \d+(\.\d)?m?s \(limit 150ms\)$/);
  });

  it('needs exactly the purge scope for its cache and the purge-requests scope of the pool', () => {
    expect((purgeCacheRoundtrip.scopes as (params: unknown) => unknown)({ cacheName: 'c1' }))
      .toEqual({ AllOf: ['purge-cache:built-in/succeed:c1', 'purge-cache:purge-requests::built-in/succeed'] });
  });
});
