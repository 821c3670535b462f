import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolBacklog } from '../../checks/pool-backlog.js';
import { CLOUD_POOL, mockCounts, mockOldestPending, mockPendingTasks, poolConfig, runPoolChecks } from './deployment.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const backlogCheck = (overrides: Parameters<typeof poolConfig>[0] = {}) => poolBacklog({ services: [], pools: [poolConfig(overrides)] })[0]!;

describe('pool.<taskQueueId>.backlog', () => {
  it('fails when more tasks are pending than maxPending, naming the count and the limit', async () => {
    mockCounts(CLOUD_POOL, 150, 4);
    mockOldestPending(CLOUD_POOL, 30_000);
    const [result] = await runPoolChecks([backlogCheck({ maxPending: 100 })]);
    expect(result!.id).toBe(`pool.${CLOUD_POOL}.backlog`);
    expect(result!.outcome).toBe('failed');
    expect(result!.error).toMatchObject({ kind: 'sla', message: `150 tasks pending on ${CLOUD_POOL} (limit 100)` });
    expect(result!.metrics.pending).toEqual({ value: 150, unit: 'count', limit: 100, ok: false });
    expect(result!.metrics.claimed!.value).toBe(4);
  });

  it('fails when the oldest pending task has waited longer than maxPendingAge', async () => {
    mockCounts(CLOUD_POOL, 3);
    mockOldestPending(CLOUD_POOL, 45 * 60_000);
    const [result] = await runPoolChecks([backlogCheck({ maxPendingAge: 30 * 60_000 })]);
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toBe(`the oldest pending task on ${CLOUD_POOL} has waited 45m (limit 30m)`);
    expect(result!.metrics.oldest_pending_s).toMatchObject({ value: 2700, limit: 1800, ok: false });
  });

  it('passes within the limits, with an empty queue counting as no wait', async () => {
    mockCounts(CLOUD_POOL, 0);
    mockOldestPending(CLOUD_POOL, undefined);
    const [result] = await runPoolChecks([backlogCheck({ maxPendingAge: 60_000 })]);
    expect(result!.outcome).toBe('passed');
    expect(result!.metrics.oldest_pending_s).toEqual({ value: 0, unit: 's', limit: 60, ok: true });
  });

  it('falls back to pendingTasks and skips the age on deployments without taskQueueCounts or listPendingTasks', async () => {
    mockCounts(CLOUD_POOL, 404);
    mockPendingTasks(CLOUD_POOL, 7);
    mockOldestPending(CLOUD_POOL, 404);
    const [result] = await runPoolChecks([backlogCheck()]);
    expect(result!.outcome).toBe('passed');
    expect(result!.metrics.pending!.value).toBe(7);
    expect(result!.metrics.oldest_pending_s).toBeUndefined();
    expect(result!.log.map((l) => l.message)).toContain('oldest_pending_s not measured: this deployment has no queue.listPendingTasks');
  });

  it('runs anonymously when the anonymous role holds the count scopes', async () => {
    mockCounts(CLOUD_POOL, 2);
    mockOldestPending(CLOUD_POOL, 1_000);
    const [result] = await runPoolChecks([backlogCheck()], {}, { anonymous: true, scopes: ['queue:pending-count:*', 'queue:claimed-count:*'] });
    expect(result!.outcome).toBe('passed');
  });
});
