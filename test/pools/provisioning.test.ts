import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolProvisioning } from '../../checks/pool-provisioning.js';
import type { MetricResult } from '../../src/check/result.js';
import { earlierResultsFrom } from '../../src/history/earlier-results.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { recordAll } from '../history/results.js';
import {
  CLOUD_POOL, CLOUD_PROVIDER, ROOT_URL, STATIC_POOL, mockCounts, mockErrors, mockStats, mockWorkerPool, mockWorkers, poolConfig, poolError,
  runPoolChecks, worker,
} from './deployment.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const provisioningCheck = (overrides: Parameters<typeof poolConfig>[0] = {}) => poolProvisioning({ services: [], pools: [poolConfig(overrides)] })[0]!;
/** Three samples 20 ms apart: the observation window, shrunk for tests. */
const FAST = { strikeSamples: 3, strikeInterval: 20 };
const HOUR = 3_600_000;

/** The recorded static pool on a v74 deployment: no workerPoolStats, so its workers are listed. */
function staticPoolWithoutStats(pending: number, running: Record<string, unknown>[], stopping: Record<string, unknown>[] = []): void {
  mockWorkerPool(STATIC_POOL, 'static');
  mockErrors(STATIC_POOL);
  mockCounts(STATIC_POOL, pending);
  mockStats(STATIC_POOL, 404);
  mockWorkers(STATIC_POOL, 'requested', []);
  mockWorkers(STATIC_POOL, 'running', running, 2);
  mockWorkers(STATIC_POOL, 'stopping', stopping);
}

describe('pool.<taskQueueId>.provisioning', () => {
  it('fails when errors flood in within the window, naming the most frequent titles', async () => {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockErrors(CLOUD_POOL, [
      ...[1, 2, 3, 4].map((m) => poolError(CLOUD_POOL, 'Instance Creation Error', m * 60_000)),
      ...[5, 6].map((m) => poolError(CLOUD_POOL, 'Quota Exceeded', m * 60_000)),
      poolError(CLOUD_POOL, 'Worker Registration Timeout', 7 * 60_000),
      // Outside the 1 h window: not counted.
      ...[2, 3, 4].map((h) => poolError(CLOUD_POOL, 'Old Error', h * HOUR)),
    ]);
    mockCounts(CLOUD_POOL, 0);
    mockStats(CLOUD_POOL, { requested: 0, running: 2 });
    const [result] = await runPoolChecks([provisioningCheck({ maxErrors: 5, errorWindow: HOUR })], FAST);
    expect(result!.outcome).toBe('failed');
    expect(result!.metrics.errors).toEqual({ value: 7, unit: 'count', limit: 5, ok: false });
    expect(result!.error!.message).toBe(
      `7 worker pool errors on ${CLOUD_POOL} in the last 1h (limit 5); most frequent: "Instance Creation Error" x4, "Quota Exceeded" x2, "Worker Registration Timeout" x1`);
  });

  it('declares a work strike when tasks stay pending while capacity stays zero across the window', async () => {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockErrors(CLOUD_POOL);
    const counts = mockCounts(CLOUD_POOL, 12);
    const stats = mockStats(CLOUD_POOL, { requested: 0, running: 0 });
    let samples = 0;
    stats.on('request', () => { samples += 1; });
    const [result] = await runPoolChecks([provisioningCheck()], FAST);
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(new RegExp(`^work strike on ${CLOUD_POOL}: 12 tasks pending while requested and running capacity stayed 0 over \\d+m?s \\(3 samples\\)$`));
    expect(samples).toBe(3);
    expect(counts.isDone()).toBe(true);
    expect(result!.metrics).toMatchObject({ requested_capacity: { value: 0 }, running_capacity: { value: 0 }, errors: { value: 0, ok: true } });
  });

  it('is not a strike when capacity is requested for the pending work; one sample suffices', async () => {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 12);
    const stats = mockStats(CLOUD_POOL, { requested: 4, running: 0 });
    let samples = 0;
    stats.on('request', () => { samples += 1; });
    let historyReads = 0;
    const [result] = await runPoolChecks([provisioningCheck()], FAST, { earlierResults: async () => { historyReads += 1; return []; } });
    expect(result!.outcome).toBe('passed');
    expect(samples).toBe(1);
    // Nothing in that look could be part of a strike: the history is not read at all.
    expect(historyReads).toBe(0);
    expect(result!.metrics.requested_capacity!.value).toBe(4);
  });

  it('within a run, does not call capacity that does not grow a strike: a burst before a slow provisioner loop looks the same', async () => {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER, { maxCapacity: 10 });
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 12, 2);
    mockStats(CLOUD_POOL, { requested: 0, running: 2 });
    const [result] = await runPoolChecks([provisioningCheck()], FAST);
    expect(result!.outcome).toBe('passed');
    // Recorded, so that later runs judge this sample across runs.
    expect(result!.metrics).toMatchObject({ pending: { value: 12 }, claimed: { value: 2 }, requested_capacity: { value: 0 }, running_capacity: { value: 2 }, max_capacity: { value: 10 } });
  });

  it('gives no work-strike verdict on a pool worker-manager is configured not to provision, and says why in the log', async () => {
    for (const config of [{ maxCapacity: 0 }, { maxCapacity: 10, scalingRatio: 0 }]) {
      nock.cleanAll();
      mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER, config);
      mockErrors(CLOUD_POOL);
      mockCounts(CLOUD_POOL, 12);
      const stats = mockStats(CLOUD_POOL, { requested: 0, running: 0 });
      const [result] = await runPoolChecks([provisioningCheck()], FAST);
      expect(result!.outcome, JSON.stringify(config)).toBe('passed');
      expect(stats.isDone()).toBe(false);
      const reason = config.scalingRatio === 0 ? 'its scalingRatio is 0' : 'its maxCapacity is 0';
      expect(result!.log.map((line) => line.message)).toContain(`no work-strike verdict: worker-manager is configured not to provision ${CLOUD_POOL} for pending work (${reason})`);
    }
  });

  it('lists and sums the workers on deployments without workerPoolStats (404)', async () => {
    // Three running workers of capacity 1 (as recorded), over two pages.
    staticPoolWithoutStats(1, ['w1', 'w2', 'w3'].map((id) => worker(STATIC_POOL, 'static', id, 60_000)));
    const [result] = await runPoolChecks([provisioningCheck({ taskQueueId: STATIC_POOL })], FAST);
    expect(result!.outcome).toBe('passed');
    expect(result!.metrics.running_capacity!.value).toBe(3);
    expect(result!.metrics.requested_capacity!.value).toBe(0);
  });

  it('counts stopping capacity, from workerPoolStats and from listed workers, and names it in the strike', async () => {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER, { maxCapacity: 4 });
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 5);
    mockStats(CLOUD_POOL, { requested: 0, running: 0, stopping: 4 });
    const [stuck] = await runPoolChecks([provisioningCheck()], FAST);
    expect(stuck!.metrics.stopping_capacity!.value).toBe(4);
    expect(stuck!.error!.message).toMatch(/^work strike on .*: 5 tasks pending while requested and running capacity stayed 0 \(4 stopping\) over /);

    nock.cleanAll();
    staticPoolWithoutStats(1, ['w1', 'w2'].map((id) => worker(STATIC_POOL, 'static', id, 60_000)), [worker(STATIC_POOL, 'static', 'w3', 60_000, 'stopping')]);
    const [listed] = await runPoolChecks([provisioningCheck({ taskQueueId: STATIC_POOL })], FAST);
    expect(listed!.metrics).toMatchObject({ running_capacity: { value: 2 }, stopping_capacity: { value: 1 } });
  });

  it('declares the strike from listed workers too when the pool has none', async () => {
    staticPoolWithoutStats(2, []);
    const [result] = await runPoolChecks([provisioningCheck({ taskQueueId: STATIC_POOL })], FAST);
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(/^work strike on tc-local\/static-probe: 2 tasks pending/);
  });

  it('is skipped for a task queue that worker-manager does not manage', async () => {
    mockWorkerPool(CLOUD_POOL, 404);
    const [result] = await runPoolChecks([provisioningCheck()], FAST);
    expect(result!.outcome).toBe('skipped');
    expect(result!.skipReason).toBe(`${CLOUD_POOL} is not a worker-manager pool (workerPool answered 404)`);
  });
});

describe('pool.<taskQueueId>.provisioning with a history', () => {
  const CHECK_ID = `pool.${CLOUD_POOL}.provisioning`;
  const MINUTE = 60_000;
  let dir: string;
  let store: HistoryStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-provisioning-'));
    store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sampled = (pending: number, requested: number, running: number): Record<string, MetricResult> => ({
    pending: { value: pending, unit: 'count' }, requested_capacity: { value: requested, unit: 'count' }, running_capacity: { value: running, unit: 'count' },
  });
  /** Earlier results of the check, recorded in the real store: [minutes ago, metrics]. */
  const recordEarlier = (runs: Array<[number, Record<string, MetricResult>]>) =>
    recordAll(store, runs.map(([minutesAgo, metrics]) => ({ id: CHECK_ID, outcome: 'passed' as const, at: Date.now() - minutesAgo * MINUTE, metrics })));
  function strikingPool() {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 7);
    const stats = mockStats(CLOUD_POOL, { requested: 0, running: 0 });
    const samples = { taken: 0 };
    stats.on('request', () => { samples.taken += 1; });
    return samples;
  }

  const judge = () => runPoolChecks([provisioningCheck()], { ...FAST, strikeAfter: 20 * MINUTE }, { earlierResults: earlierResultsFrom(store) });

  it('declares the strike across runs once the striking runs span strikeAfter; this run still watches the pool itself', async () => {
    await recordEarlier([[25, sampled(5, 0, 0)], [10, sampled(6, 0, 0)]]);
    const samples = strikingPool();
    const [result] = await judge();
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(new RegExp(`^work strike on ${CLOUD_POOL}: 7 tasks pending while requested and running capacity stayed 0 over 25m( \\d+s)? \\(5 samples across runs\\)$`));
    expect(samples.taken).toBe(3);
    // This run's sample is recorded under the names the next run reads.
    expect(result!.metrics).toMatchObject({ pending: { value: 7 }, requested_capacity: { value: 0 }, running_capacity: { value: 0 } });
  });

  /** Two busy workers of a pool whose maxCapacity is now 10, with 12 tasks waiting and nothing requested. */
  function poolThatDoesNotGrow() {
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER, { maxCapacity: 10 });
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 12, 2);
    mockStats(CLOUD_POOL, { requested: 0, running: 2 });
  }
  const busyUnder = (max: number) => ({ ...sampled(12, 0, 2), claimed: { value: 2, unit: 'count' }, max_capacity: { value: max, unit: 'count' } });

  it('across runs, declares a strike when capacity does not grow below maxCapacity while more work waits than idle workers can take', async () => {
    // The oldest run is from before the upgrade that records claimed tasks and the maximum: all its running
    // capacity counts as idle, against today's maximum.
    await recordEarlier([[25, sampled(12, 0, 2)], [10, busyUnder(10)]]);
    poolThatDoesNotGrow();
    const [result] = await judge();
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(new RegExp(
      `^work strike on ${CLOUD_POOL}: 12 tasks pending \\(running capacity 2, 2 claimed\\) while capacity did not grow toward maxCapacity 10 and nothing was requested over 25m( \\d+s)? \\(5 samples across runs\\)$`));
  });

  it('across runs, is no strike when earlier samples were at the maxCapacity of their time, though it was raised since', async () => {
    await recordEarlier([[25, busyUnder(2)], [10, busyUnder(2)]]);
    poolThatDoesNotGrow();
    const [result] = await judge();
    expect(result!.outcome).toBe('passed');
  });

  it('counts the streak from after the last run that saw capacity', async () => {
    await recordEarlier([[40, sampled(5, 0, 0)], [30, sampled(5, 0, 2)], [25, sampled(5, 0, 0)], [10, sampled(5, 0, 0)]]);
    strikingPool();
    const [result] = await judge();
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(/ over 25m( \d+s)? \(5 samples across runs\)$/);
  });

  it('is no strike yet when the streak since a run that saw capacity is shorter than strikeAfter, though this run sees none', async () => {
    await recordEarlier([[40, sampled(5, 0, 0)], [25, sampled(5, 0, 0)], [10, sampled(5, 0, 2)]]);
    const samples = strikingPool();
    const [result] = await judge();
    expect(result!.outcome).toBe('passed');
    expect(samples.taken).toBe(3);
  });

  it('is no strike when a gap longer than strikeAfter splits the runs: nobody looked in between', async () => {
    await recordEarlier([[50, sampled(5, 0, 0)], [10, sampled(5, 0, 0)]]);
    strikingPool();
    const [result] = await judge();
    expect(result!.outcome).toBe('passed');
  });

  it('is no strike when the provisioner reacts during this run, whatever the earlier runs saw', async () => {
    await recordEarlier([[25, sampled(5, 0, 0)], [10, sampled(5, 0, 0)]]);
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockErrors(CLOUD_POOL);
    mockCounts(CLOUD_POOL, 7);
    let answered = 0;
    // The first look catches the pool before the provisioner's loop; the next one sees capacity requested.
    nock(ROOT_URL).persist().get(`/api/worker-manager/v1/worker-pool/${encodeURIComponent(CLOUD_POOL)}/stats`)
      .reply(200, () => ({ launchConfigStats: [{ workerPoolId: CLOUD_POOL, launchConfigId: 'lc-1', requestedCapacity: answered++ === 0 ? 0 : 2, runningCapacity: 0 }] }));
    const [result] = await judge();
    expect(result!.outcome).toBe('passed');
    expect(answered).toBe(2);
    expect(result!.metrics.requested_capacity!.value).toBe(2);
  });

  it('samples within the run while the history is younger than strikeAfter, so a new service judges as a one-shot run does', async () => {
    await recordEarlier([[5, sampled(5, 0, 0)]]);
    const samples = strikingPool();
    const [result] = await runPoolChecks([provisioningCheck()], { ...FAST, strikeAfter: 20 * MINUTE }, { earlierResults: earlierResultsFrom(store) });
    expect(result!.outcome).toBe('failed');
    expect(result!.error!.message).toMatch(/\(3 samples\)$/);
    expect(samples.taken).toBe(3);
  });

  it('judges from this run when the history cannot be read, and says so in the log', async () => {
    const samples = strikingPool();
    const unreadable = async () => { throw new Error('database is locked'); };
    const [result] = await runPoolChecks([provisioningCheck()], FAST, { earlierResults: unreadable });
    expect(result!.outcome).toBe('failed');
    expect(samples.taken).toBe(3);
    expect(result!.log.map((line) => line.message)).toContain('could not read earlier results from the history: database is locked');
  });
});
