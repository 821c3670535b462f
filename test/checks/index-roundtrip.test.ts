import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexRoundtrip } from '../../checks/index-roundtrip.js';
import { fixture, ROOT_URL } from '../support/deployment.js';
import { FAST_POLL, JSON_HEADERS, apiErrorBody, fakeQueue, runOne, taskStatus, type FakeQueue } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

/** The task resolves when first polled, stamped with the local clock so the lag is measurable. */
function completesNow(): FakeQueue {
  return fakeQueue((task) => {
    const now = Date.now();
    return taskStatus(task.taskId, 'completed', { scheduled: now - 300, started: now - 200, resolved: now });
  });
}

interface FakeIndex {
  /** Paths findTask was asked for. */
  found: string[];
  /** Paths deleteTask was asked to remove. */
  deleted: string[];
}

/**
 * index.findTask: 404 for the first `misses` calls, then the recorded v74 answer for the task of `queue`;
 * index.deleteTask: 404 while nothing was found there (never indexed), else the entry is removed.
 */
function index(queue: FakeQueue, misses: number): FakeIndex {
  const calls: FakeIndex = { found: [], deleted: [] };
  const pathOf = (uri: string) => decodeURIComponent(uri.split('/').pop()!);
  nock(ROOT_URL).persist()
    .get(/^\/api\/index\/v1\/task\/[^/]+$/).reply((uri) => {
      calls.found.push(pathOf(uri));
      if (calls.found.length <= misses) return [404, apiErrorBody('ResourceNotFound', 404, 'findTask', 'Indexed task not found'), JSON_HEADERS];
      return [200, { ...fixture('index-findTask.json'), namespace: pathOf(uri), taskId: queue.created[0]!.taskId }, JSON_HEADERS];
    })
    .delete(/^\/api\/index\/v1\/task\/[^/]+$/).reply((uri) => {
      calls.deleted.push(pathOf(uri));
      return calls.found.length > misses ? [200, {}, JSON_HEADERS] : [404, apiErrorBody('ResourceNotFound', 404, 'deleteTask', 'Indexed task not found'), JSON_HEADERS];
    });
  return calls;
}

describe('index.roundtrip', () => {
  it('routes the task to index.<prefix>.<nonce>, finds it once indexed, and measures the index lag', async () => {
    const queue = completesNow();
    const calls = index(queue, 2);
    const result = await runOne(indexRoundtrip, FAST_POLL);
    expect(result.outcome).toBe('passed');
    const route = queue.created[0]!.definition.routes[0] as string;
    expect(route).toMatch(/^index\.project\.tc-canary\.[0-9a-f]+$/);
    const indexPath = route.slice('index.'.length);
    expect(calls.found).toHaveLength(3);
    expect(new Set(calls.found)).toEqual(new Set([indexPath]));
    // The entry is removed once the check is done, and its data carried tc-canary's mark for the sweep.
    expect(calls.deleted).toEqual([indexPath]);
    expect(queue.created[0]!.definition.extra).toMatchObject({ index: { data: { createdBy: 'tc-canary', check: 'index.roundtrip' } } });
    const lag = result.metrics.index_lag_ms!;
    // Two misses 20 ms apart, then found: tens of milliseconds after `resolved`.
    expect(lag.value).toBeGreaterThanOrEqual(30);
    expect(lag.value).toBeLessThan(1_000);
    expect(lag).toMatchObject({ limit: 60_000, ok: true });
  });

  it('fails with the index lag limit when the task never shows up in the index', async () => {
    const queue = completesNow();
    const calls = index(queue, Number.POSITIVE_INFINITY);
    const result = await runOne(indexRoundtrip, { ...FAST_POLL, indexLagSla: 200 });
    expect(result.outcome).toBe('failed');
    // Not there yet: the cleanup's 404 is fine, and the sweep finds an entry inserted later.
    expect(calls.deleted).toHaveLength(1);
    expect(result.steps.at(-1)).toMatchObject({ name: expect.stringMatching(/^cleanup: delete index entry /), outcome: 'passed' });
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(/^index handlers: project\.tc-canary\.[0-9a-f]+ not found \d+(\.\d)?m?s after the task resolved \(limit 200ms\)$/);
    expect(result.metrics.index_lag_ms).toMatchObject({ limit: 200, ok: false });
  });

  it('fails when the index answers another task at that path', async () => {
    const queue = completesNow();
    nock(ROOT_URL).get(/^\/api\/index\/v1\/task\//).reply(200, fixture('index-findTask.json'), JSON_HEADERS)
      .delete(/^\/api\/index\/v1\/task\//).reply(200, {}, JSON_HEADERS);
    const result = await runOne(indexRoundtrip, FAST_POLL);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(new RegExp(`answered task Nvx5e65rQ32ySmVAmDNoQA, expected ${queue.created[0]!.taskId}$`));
  });

  it('needs the route, find-task and delete-task scopes under the configured prefix', () => {
    const scopes = JSON.stringify((indexRoundtrip.scopes as (params: unknown) => unknown)({ schedulerId: 'tc-canary', projectId: 'none', indexPrefix: 'project.x' }));
    expect(scopes).toContain('"queue:route:index.project.x.*"');
    expect(scopes).toContain('"index:find-task:project.x.*"');
    expect(scopes).toContain('"index:delete-task:project.x.*"');
    expect(scopes).toContain('"queue:status:*"');
  });
});
