import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import {
  CLOUD_POOL, CLOUD_PROVIDER, ROOT_URL, fixture, mockCounts, mockErrors, mockOldestPending, mockProviders, mockStats,
  mockWorkerPool, mockWorkers, poolConfig, poolError, runPoolChecks, worker,
} from './deployment.js';

const json = { 'content-type': 'application/json' };

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

describe('pool checks in the catalogue', () => {
  it('define claim, backlog and provisioning per pool (no claim for implementation none) and one scanner check', async () => {
    const catalogue = await loadCatalogue({ services: [], pools: [poolConfig(), poolConfig({ taskQueueId: 'built-in/succeed', implementation: 'none' })] });
    const ids = catalogue.checks.map((check) => check.id).filter((id) => id.startsWith('pool.') || id.startsWith('worker-manager.'));
    expect(ids.sort()).toEqual([
      'pool.built-in/succeed.backlog', 'pool.built-in/succeed.provisioning',
      `pool.${CLOUD_POOL}.backlog`, `pool.${CLOUD_POOL}.claim`, `pool.${CLOUD_POOL}.provisioning`,
      'worker-manager.scanner',
    ]);
  });

  it('define none without pools', async () => {
    const catalogue = await loadCatalogue({ services: [], pools: [] });
    expect(catalogue.checks.filter((check) => check.id.startsWith('pool.') || check.id === 'worker-manager.scanner')).toEqual([]);
  });
});

describe('a healthy pool', () => {
  it('passes every pool check, each with its metrics', async () => {
    const catalogue = await loadCatalogue({ services: [], pools: [poolConfig({ maxPendingAge: 600_000 })] });
    const checks = catalogue.checks.filter((check) => check.id.startsWith('pool.') || check.id === 'worker-manager.scanner');
    const statusOf = (taskId: string) => {
      const body = fixture('task-succeed-status.json');
      body.status.taskId = taskId;
      return body;
    };
    nock(ROOT_URL)
      .put(/\/api\/queue\/v1\/task\/[^/]+$/).reply(200, (uri) => statusOf(uri.split('/').pop()!), json)
      .get(/\/api\/queue\/v1\/task\/[^/]+\/status$/).times(2).reply(200, (uri) => statusOf(uri.split('/')[5]!), json);
    mockCounts(CLOUD_POOL, 2, 3);
    mockOldestPending(CLOUD_POOL, 20_000);
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    // One old error, outside the window.
    mockErrors(CLOUD_POOL, [poolError(CLOUD_POOL, 'Instance Creation Error', 5 * 3_600_000)]);
    mockStats(CLOUD_POOL, { requested: 1, running: 3 });
    mockProviders();
    mockWorkers(CLOUD_POOL, 'running', ['a', 'b', 'c'].map((id, i) => worker(CLOUD_POOL, CLOUD_PROVIDER, id, (i + 1) * 10_000)));

    const results = await runPoolChecks(checks, { strikeSamples: 2, strikeInterval: 10 });
    const byId = Object.fromEntries(results.map((result) => [result.id, result]));
    expect(Object.values(byId).map((result) => [result.id, result.outcome, result.error?.message])).toEqual(
      checks.map((check) => [check.id, 'passed', undefined]));
    expect(byId[`pool.${CLOUD_POOL}.claim`]!.metrics.claim_latency_ms!.ok).toBe(true);
    const backlog = byId[`pool.${CLOUD_POOL}.backlog`]!.metrics;
    expect(backlog).toMatchObject({ pending: { value: 2, ok: true }, claimed: { value: 3 }, oldest_pending_s: { ok: true } });
    // Ages are measured against the clock when the check asks, a moment after the mock was made: one more second on a slow machine.
    expect(backlog.oldest_pending_s!.value).toBeGreaterThanOrEqual(20);
    expect(backlog.oldest_pending_s!.value).toBeLessThanOrEqual(21);
    expect(byId[`pool.${CLOUD_POOL}.provisioning`]!.metrics).toMatchObject({ errors: { value: 0, ok: true }, requested_capacity: { value: 1 }, running_capacity: { value: 3 } });
    expect(byId['worker-manager.scanner']!.metrics.scanner_age_s).toMatchObject({ value: expect.toSatisfy((age: number) => age === 30 || age === 31), ok: true });
  });
});
