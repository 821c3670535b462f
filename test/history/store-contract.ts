// The behaviour every history store must have, run against SQLite and against the real PostgreSQL so that
// the two are proven to behave identically.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { summarize, type RunResult } from '../../src/check/result.js';
import type { Database } from '../../src/history/database.js';
import { applyMigrations } from '../../src/history/migrations/apply.js';
import { MIGRATIONS } from '../../src/history/migrations/steps.js';
import { openHistory, type OpenHistoryOptions } from '../../src/history/open.js';
import { thisProcess } from '../../src/history/owner.js';
import { HistoryError, type HistoryStore } from '../../src/history/store.js';
import { MAX_VALUES_PER_METRIC } from '../../src/history/versions.js';
import { checkResult, DAY, HOUR, MAINTENANCE, manualClock, MINUTE, recordAll, runMeta, T0, type ManualClock, type ResultSpec } from './results.js';

export interface FreshHistory {
  spec: string;
  options: OpenHistoryOptions;
  /** The same database, below the store, to look at or break it. */
  database(): Promise<Database>;
}

export interface StoreTarget {
  /** A new, empty history for one test. */
  fresh(): Promise<FreshHistory>;
  /** Drops what fresh() made. */
  dispose(fresh: FreshHistory): Promise<void>;
  /** A spec that cannot be opened; its error must name `shows` and never contain `hides`. */
  unopenable: { spec: string; shows: string; hides?: string };
}

const POOL_CLAIM = 'pool.proj/type.claim';

export function describeStoreContract(name: string, target: StoreTarget): void {
  describe(`history store contract: ${name}`, () => {
    let fresh: FreshHistory;
    let clock: ManualClock;
    const opened: HistoryStore[] = [];

    async function open(extra: OpenHistoryOptions = {}): Promise<HistoryStore> {
      const store = await openHistory(fresh.spec, { ...fresh.options, clock, ...extra });
      opened.push(store);
      return store;
    }

    beforeEach(async () => {
      fresh = await target.fresh();
      clock = manualClock();
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      await target.dispose(fresh);
    });

    test('a recorded result reads back whole: attempts, steps, metrics, resources, log, error', async () => {
      const store = await open();
      const flaky = {
        ...checkResult({
          id: POOL_CLAIM, outcome: 'flaky', at: T0,
          metrics: { claim_latency_ms: { value: 1234.5, unit: 'ms', limit: 60000, ok: true }, pending: { value: 0, unit: 'tasks' } },
        }),
        resources: [{ type: 'task', id: 'fN1aS0gZQ2eS0dIT1CknTw' }, { type: 'task', id: 'a2' }],
        log: [{ offsetMs: 3, message: 'created task' }],
      };
      const failed = checkResult({
        id: 'ping.queue', outcome: 'failed', at: T0 + MINUTE,
        metrics: { response_ms: { value: 900, unit: 'ms', limit: 500, ok: false } },
        error: { kind: 'sla', message: 'response_ms 900 ms exceeds 500 ms by 400 ms', step: 'ping', url: 'https://tc.example.com/api/queue/v1/ping', statusCode: 200 },
      });
      const skipped = checkResult({ id: 'hooks.trigger', outcome: 'skipped', at: T0 + 2 * MINUTE });
      await store.beginRun(runMeta('run-1', T0));
      for (const result of [flaky, failed, skipped]) await store.recordCheck('run-1', result);
      await store.finishRun('run-1', {
        finishedAt: new Date(T0 + 3 * MINUTE).toISOString(), outcome: 'failed',
        summary: { passed: 0, flaky: 1, failed: 1, error: 0, skipped: 1 },
      });

      const back = await store.results({ since: T0 });
      expect(back).toEqual([skipped, failed, flaky].map((result) => ({ ...result, runId: 'run-1' })));
      expect((await store.recentRuns(5))[0]).toEqual({
        ...runMeta('run-1', T0), finishedAt: new Date(T0 + 3 * MINUTE).toISOString(), outcome: 'failed',
        summary: { passed: 0, flaky: 1, failed: 1, error: 0, skipped: 1 },
      });
    });

    test('results filter by pattern (ids with dots and slashes), time window and limit, newest first', async () => {
      const store = await open();
      await recordAll(store, [
        { id: POOL_CLAIM, outcome: 'passed', at: T0 },
        { id: 'pool.proj/other.claim', outcome: 'passed', at: T0 + MINUTE },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 2 * MINUTE },
        { id: POOL_CLAIM, outcome: 'failed', at: T0 + 3 * MINUTE },
      ]);
      const ids = (results: { id: string; startedAt: string }[]) => results.map((r) => `${r.id}@${(Date.parse(r.startedAt) - T0) / MINUTE}`);
      expect(ids(await store.results({ since: T0, checkPattern: 'pool.*' }))).toEqual([
        `${POOL_CLAIM}@3`, 'pool.proj/other.claim@1', `${POOL_CLAIM}@0`,
      ]);
      expect(ids(await store.results({ since: T0, checkPattern: 'pool.proj/type.*' }))).toEqual([`${POOL_CLAIM}@3`, `${POOL_CLAIM}@0`]);
      // `.` is literal: "pool.proj/typeXclaim" would not match, and patterns match whole ids.
      expect(await store.results({ since: T0, checkPattern: 'pool' })).toEqual([]);
      // A pattern without `*` is one check id, slashes and dots included.
      expect(ids(await store.results({ since: T0, checkPattern: POOL_CLAIM }))).toEqual([`${POOL_CLAIM}@3`, `${POOL_CLAIM}@0`]);
      expect(await store.results({ since: T0, checkPattern: 'pool.proj/unknown.claim' })).toEqual([]);
      expect(ids(await store.results({ since: T0 + MINUTE, until: T0 + 3 * MINUTE }))).toEqual(['ping.queue@2', 'pool.proj/other.claim@1']);
      expect(ids(await store.results({ since: T0, limit: 2 }))).toEqual([`${POOL_CLAIM}@3`, 'ping.queue@2']);
    });

    test('earlier results of one check: the newest within the limit, oldest first, with start, outcome, metrics and resources', async () => {
      const store = await open();
      const pending = (value: number) => ({ pending: { value, unit: 'count' }, claim_ms: { value: value * 10, unit: 'ms', limit: 60, ok: value * 10 <= 60 } });
      await recordAll(store, [
        { id: POOL_CLAIM, outcome: 'passed', at: T0, metrics: pending(1) },
        { id: 'pool.proj/other.claim', outcome: 'failed', at: T0 + MINUTE, metrics: pending(9) },
        { id: POOL_CLAIM, outcome: 'failed', at: T0 + 2 * MINUTE, metrics: pending(7), resources: [{ type: 'task', id: 'TaskA' }, { type: 'claim left to expire', id: 'TaskA' }] },
        { id: POOL_CLAIM, outcome: 'skipped', at: T0 + 3 * MINUTE },
      ]);
      expect(await store.earlierResults(POOL_CLAIM, T0, 2)).toEqual([
        { startedAt: new Date(T0 + 2 * MINUTE).toISOString(), outcome: 'failed', metrics: pending(7), resources: [{ type: 'task', id: 'TaskA' }, { type: 'claim left to expire', id: 'TaskA' }] },
        { startedAt: new Date(T0 + 3 * MINUTE).toISOString(), outcome: 'skipped', metrics: {}, resources: [] },
      ]);
      expect((await store.earlierResults(POOL_CLAIM, T0 + MINUTE, 10)).map((r) => r.outcome)).toEqual(['failed', 'skipped']);
      expect(await store.earlierResults('pool.proj/unknown.claim', T0, 10)).toEqual([]);
    });

    test('latest results: outcome, since when its health holds, consecutive failures (skips neither count nor reset)', async () => {
      const store = await open();
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'passed', at: T0 },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 5 * MINUTE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 10 * MINUTE },
        { id: 'ping.queue', outcome: 'skipped', at: T0 + 15 * MINUTE },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 20 * MINUTE },
        { id: 'ping.auth', outcome: 'failed', at: T0 },
        { id: 'ping.auth', outcome: 'flaky', at: T0 + 5 * MINUTE },
        { id: 'ping.auth', outcome: 'passed', at: T0 + 10 * MINUTE },
      ]);
      const latest = await store.latestResults();
      expect(latest.map(({ checkId, health, since, consecutiveFailures, result }) => ({
        checkId, health, since, consecutiveFailures, outcome: result.outcome, at: result.startedAt,
      }))).toEqual([
        { checkId: 'ping.auth', health: 'up', since: new Date(T0 + 5 * MINUTE).toISOString(), consecutiveFailures: 0, outcome: 'passed', at: new Date(T0 + 10 * MINUTE).toISOString() },
        // Down since the failure after the skip: the skip interrupted the stretch but not the failure count.
        { checkId: 'ping.queue', health: 'down', since: new Date(T0 + 20 * MINUTE).toISOString(), consecutiveFailures: 3, outcome: 'failed', at: new Date(T0 + 20 * MINUTE).toISOString() },
      ]);
      expect(latest[1]!.result.error?.message).toBe('expected 200, got 500');
      // Narrowed to the checks asked for (one check's status URL reads only its own rows).
      expect((await store.latestResults(['ping.queue'])).map((l) => [l.checkId, l.consecutiveFailures])).toEqual([['ping.queue', 3]]);
      expect(await store.latestResults([])).toEqual([]);
      expect([...(await store.uptimes(T0, ['ping.auth'])).keys()]).toEqual(['ping.auth']);
    });

    test('concurrent records of one check are numbered one after the other', async () => {
      const store = await open();
      const runs = Array.from({ length: 12 }, (_, i) => `run-${i}`);
      for (const [i, runId] of runs.entries()) await store.beginRun(runMeta(runId, T0 + i));
      await Promise.all(runs.map((runId, i) => store.recordCheck(runId, checkResult({ id: 'ping.queue', outcome: 'failed', at: T0 + i }))));
      const [latest] = await store.latestResults();
      expect(latest?.consecutiveFailures).toBe(12);
      const summary = await store.summarize({ since: T0 });
      expect(summary.checks[0]?.longestFailingStreak?.length).toBe(12);
    });

    test('uptime: passed and flaky are up, failed and error down, skipped not counted; windows cut mid-hour', async () => {
      const store = await open();
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'failed', at: T0 + 10 * MINUTE },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 40 * MINUTE },
        { id: 'ping.queue', outcome: 'skipped', at: T0 + 50 * MINUTE },
        { id: 'ping.queue', outcome: 'flaky', at: T0 + 80 * MINUTE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 150 * MINUTE },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 200 * MINUTE },
      ]);
      clock.set(T0 + 4 * HOUR);
      expect(await store.uptime('ping.queue', T0)).toEqual({ up: 3, counted: 5, ratio: 0.6, inMaintenance: 0 });
      // From 10:30: the 10:10 failure falls outside, though its hour's aggregate holds it.
      expect(await store.uptime('ping.queue', T0 + 30 * MINUTE)).toEqual({ up: 3, counted: 4, ratio: 0.75, inMaintenance: 0 });
      expect(await store.uptime('ping.unknown', T0)).toEqual({ up: 0, counted: 0, ratio: null, inMaintenance: 0 });
      expect(await store.uptimes(T0 + 30 * MINUTE)).toEqual(new Map([['ping.queue', { up: 3, counted: 4, ratio: 0.75, inMaintenance: 0 }]]));

      const [summary] = (await store.summarize({ since: T0 })).checks;
      expect(summary?.counts).toEqual({ passed: 2, flaky: 1, failed: 1, error: 1, skipped: 1 });
      expect(summary?.flakyRate).toBeCloseTo(1 / 3);
    });

    test('a result inside a maintenance window reads back with its window, in results and as the latest result', async () => {
      const store = await open();
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'passed', at: T0 },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 5 * MINUTE, maintenance: MAINTENANCE },
      ]);
      const [inWindow, before] = await store.results({ since: T0 });
      expect(inWindow).toEqual({
        ...checkResult({ id: 'ping.queue', outcome: 'failed', at: T0 + 5 * MINUTE, maintenance: MAINTENANCE }), runId: inWindow?.runId,
      });
      expect(before).not.toHaveProperty('maintenance');
      // Health follows the outcome; the failure, inside the window, is not one in a row.
      expect(await store.latestResults()).toMatchObject([{
        checkId: 'ping.queue', health: 'down', since: new Date(T0 + 5 * MINUTE).toISOString(), consecutiveFailures: 0,
        result: { outcome: 'failed', maintenance: MAINTENANCE },
      }]);
    });

    test('uptime: results inside maintenance count neither up nor down but apart, in hourly aggregates and raw results', async () => {
      const store = await open();
      const inWindow = { maintenance: MAINTENANCE };
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'passed', at: T0 + 10 * MINUTE },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 20 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'error', at: T0 + 40 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 70 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'skipped', at: T0 + 80 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 130 * MINUTE },
        { id: 'ping.queue', outcome: 'flaky', at: T0 + 150 * MINUTE },
      ]);
      clock.set(T0 + 4 * HOUR);
      // From 10:00, all from hourly aggregates: 2 up and 1 down outside; 2 down and 1 up inside; a skip in neither.
      expect(await store.uptime('ping.queue', T0)).toEqual({ up: 2, counted: 3, ratio: 2 / 3, inMaintenance: 3 });
      // From 10:30: the 10:40 error is read from raw results, the 11:10 pass from its hour's aggregate.
      const fromHalfPast = { up: 1, counted: 2, ratio: 0.5, inMaintenance: 2 };
      expect(await store.uptime('ping.queue', T0 + 30 * MINUTE)).toEqual(fromHalfPast);
      expect(await store.uptimes(T0 + 30 * MINUTE)).toEqual(new Map([['ping.queue', fromHalfPast]]));

      // Counts by outcome still hold every result.
      const [summary] = (await store.summarize({ since: T0 })).checks;
      expect(summary?.counts).toEqual({ passed: 2, flaky: 1, failed: 2, error: 1, skipped: 1 });
      expect(summary?.uptime).toEqual({ up: 2, counted: 3, ratio: 2 / 3, inMaintenance: 3 });
    });

    test('streaks: results inside maintenance, whatever their outcome, neither lengthen nor break one; nor are they the last failure', async () => {
      const store = await open();
      const inWindow = { maintenance: MAINTENANCE };
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'failed', at: T0 + 1 * MINUTE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 2 * MINUTE },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 3 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 4 * MINUTE, ...inWindow },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 5 * MINUTE },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 6 * MINUTE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 7 * MINUTE, ...inWindow },
        { id: 'ping.auth', outcome: 'failed', at: T0 },
        { id: 'ping.auth', outcome: 'error', at: T0 + MINUTE, ...inWindow },
        { id: 'ping.auth', outcome: 'passed', at: T0 + 2 * MINUTE, ...inWindow },
        { id: 'ping.auth', outcome: 'failed', at: T0 + 3 * MINUTE },
      ]);
      const byId = new Map((await store.summarize({ since: T0 })).checks.map((check) => [check.checkId, check]));
      expect(byId.get('ping.queue')?.longestFailingStreak).toEqual({
        length: 3, from: new Date(T0 + MINUTE).toISOString(), to: new Date(T0 + 5 * MINUTE).toISOString(),
      });
      expect(byId.get('ping.queue')?.lastFailure).toMatchObject({ at: new Date(T0 + 5 * MINUTE).toISOString(), outcome: 'failed' });
      expect(byId.get('ping.auth')?.longestFailingStreak).toMatchObject({ length: 2 });

      const latest = new Map((await store.latestResults()).map((l) => [l.checkId, l]));
      // The pass at 10:06 ended the streak; the error inside the window after it starts none.
      expect(latest.get('ping.queue')).toMatchObject({ health: 'down', consecutiveFailures: 0, result: { maintenance: MAINTENANCE } });
      expect(latest.get('ping.auth')).toMatchObject({ health: 'down', consecutiveFailures: 2, since: new Date(T0 + 3 * MINUTE).toISOString() });
    });

    test('summary percentiles of each metric are within 1 % of the exact ones, across raw, hourly and daily data', async () => {
      const store = await open();
      const since = T0 + 30 * MINUTE;
      // 100 values 1..100 in shuffled order, every 45 minutes from 10:30 on 1 March, into 4 March: the first
      // ones fall in the part-hour and part-day read from raw results, the rest in hourly and daily aggregates.
      // One more value before `since` must not count.
      const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'passed', at: T0 + 5 * MINUTE, metrics: { response_ms: { value: 100000, unit: 'ms' } } },
        ...values.map((value, i) => ({
          id: 'ping.queue', outcome: 'passed' as const, at: since + i * 45 * MINUTE,
          metrics: { response_ms: { value, unit: 'ms', limit: 500, ok: true } },
        })),
      ]);
      clock.set(T0 + 4 * DAY);
      const summary = await store.summarize({ since });
      const metric = summary.checks[0]?.metrics.response_ms;
      expect(metric).toMatchObject({ unit: 'ms', count: 100, mean: 50.5, min: 1, max: 100 });
      const within1Percent = (value: number | undefined, exact: number) => Math.abs(value! - exact) / exact;
      expect(within1Percent(metric?.p50, 50)).toBeLessThanOrEqual(0.01);
      expect(within1Percent(metric?.p95, 95)).toBeLessThanOrEqual(0.01);
      expect(within1Percent(metric?.p99, 99)).toBeLessThanOrEqual(0.01);
      // From a day boundary on, only the daily histograms hold the percentiles.
      const fromMidnight = (await store.summarize({ since: Date.parse('2025-03-02T00:00:00.000Z') })).checks[0]?.metrics.response_ms;
      const later = values.filter((_, i) => since + i * 45 * MINUTE >= Date.parse('2025-03-02T00:00:00.000Z')).sort((a, b) => a - b);
      expect(fromMidnight?.count).toBe(later.length);
      expect(within1Percent(fromMidnight?.p50, later[Math.ceil(later.length / 2) - 1]!)).toBeLessThanOrEqual(0.01);
      expect(summary.since).toBe(new Date(since).toISOString());
      expect(summary.until).toBe(new Date(T0 + 4 * DAY).toISOString());

      const series = await store.metricSeries('ping.queue', 'response_ms', since);
      expect(series).toHaveLength(100);
      expect(series[0]).toEqual({ at: new Date(since).toISOString(), value: values[0], unit: 'ms', limit: 500 });
    });

    test('finished runs import whole, in one transaction', async () => {
      const store = await open();
      const run = (runId: string, at: number, outcome: 'passed' | 'failed') => {
        const checks = [checkResult({ id: 'ping.queue', outcome, at }), checkResult({ id: POOL_CLAIM, outcome: 'passed', at: at + 1 })];
        return {
          schemaVersion: 1 as const, runId, startedAt: new Date(at).toISOString(), finishedAt: new Date(at + 5000).toISOString(),
          durationMs: 5000, rootUrl: 'https://tc.example.com', deployment: { version: 'v74.0.0' },
          tool: { name: 'tc-canary' as const, version: '0.1.0' }, outcome, summary: summarize(checks), checks,
        };
      };
      const runs = [run('run-a', T0, 'failed'), run('run-b', T0 + HOUR, 'failed')];
      await store.importRuns(runs);
      expect(await store.results({ since: T0 })).toEqual(
        [...runs].reverse().flatMap((r) => [...r.checks].reverse().map((check) => ({ ...check, runId: r.runId }))));
      expect((await store.latestResults()).find((l) => l.checkId === 'ping.queue')).toMatchObject({
        consecutiveFailures: 2, since: new Date(T0).toISOString(), result: { runId: 'run-b' },
      });
      expect((await store.recentRuns(2)).map((r) => [r.runId, r.outcome, r.summary])).toEqual(
        [...runs].reverse().map((r) => [r.runId, r.outcome, r.summary]));

      // Importing a run again fails as a whole: the new run in the same import is not half-stored.
      await expect(store.importRuns([run('run-c', T0 + 2 * HOUR, 'passed'), runs[0]!])).rejects.toThrow(/cannot import 2 runs/);
      expect((await store.recentRuns(5)).map((r) => r.runId)).toEqual(['run-b', 'run-a']);
    });

    test('summary: longest failing streak (skips do not break it) and the last failure with its reason', async () => {
      const store = await open();
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'passed', at: T0 },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 1 * MINUTE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 2 * MINUTE },
        { id: 'ping.queue', outcome: 'skipped', at: T0 + 3 * MINUTE },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 4 * MINUTE },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 5 * MINUTE },
        { id: 'ping.queue', outcome: 'failed', at: T0 + 6 * MINUTE },
        {
          id: 'ping.queue', outcome: 'error', at: T0 + 7 * MINUTE,
          error: { kind: 'timeout', message: 'timed out after 30s', step: 'wait for resolution' },
        },
        { id: 'ping.queue', outcome: 'passed', at: T0 + 8 * MINUTE },
        { id: 'ping.auth', outcome: 'passed', at: T0 },
      ]);
      const summary = await store.summarize({ since: T0 });
      const byId = new Map(summary.checks.map((check) => [check.checkId, check]));
      expect(byId.get('ping.queue')?.longestFailingStreak).toEqual({
        length: 3, from: new Date(T0 + MINUTE).toISOString(), to: new Date(T0 + 4 * MINUTE).toISOString(),
      });
      expect(byId.get('ping.queue')?.lastFailure).toMatchObject({
        at: new Date(T0 + 7 * MINUTE).toISOString(), outcome: 'error', reason: 'step "wait for resolution": timed out after 30s',
      });
      expect(byId.get('ping.auth')).toMatchObject({ longestFailingStreak: null, lastFailure: null, uptime: { ratio: 1 } });
      expect((await store.summarize({ since: T0, pattern: 'ping.a*' })).checks.map((c) => c.checkId)).toEqual(['ping.auth']);
      expect(summary.runs).toEqual({ total: 10, aborted: 0 });
    });

    test('an abandoned run is marked aborted on the next open, its unfinished checks with it; a live one is not', async () => {
      const crashed = await open();
      await crashed.beginRun({ ...runMeta('run-crashed', T0), plannedChecks: [
        { id: 'ping.queue', description: 'queue answers', tags: ['ping'] }, { id: 'ping.auth', description: 'auth answers', tags: ['ping'] },
      ] });
      await crashed.recordCheck('run-crashed', checkResult({ id: 'ping.queue', outcome: 'passed', at: T0 }));
      // The owner (this very process) still lives, and the run is recent: nobody may abort it yet.
      clock.set(T0 + HOUR);
      await open();
      expect((await crashed.recentRuns(1))[0]?.outcome).toBeUndefined();

      clock.set(T0 + 3 * HOUR);
      const reopened = await open();
      const [run] = await reopened.recentRuns(1);
      expect(run).toMatchObject({
        runId: 'run-crashed', outcome: 'aborted', finishedAt: new Date(T0).toISOString(),
        summary: { passed: 1, flaky: 0, failed: 0, error: 1, skipped: 0 },
      });
      expect(run?.abortReason).toMatch(/no sign of life .* since 2025-03-01T10:00:00.000Z/);
      // What it recorded stays; the check it never finished is recorded aborted, at its last sign of life.
      const results = await reopened.results({ since: T0 });
      expect(results.map((r) => [r.id, r.outcome]).sort()).toEqual([['ping.auth', 'error'], ['ping.queue', 'passed']]);
      expect(results.find((r) => r.id === 'ping.auth')).toMatchObject({ startedAt: new Date(T0).toISOString(), error: { kind: 'aborted', message: `not finished: ${run!.abortReason}` } });
      // A third open finds nothing more to mark.
      await open();
      expect(await reopened.results({ since: T0 })).toHaveLength(2);
      const summary = await reopened.summarize({ since: T0 });
      expect(summary.runs).toMatchObject({ total: 1, aborted: 1, lastAborted: { runId: 'run-crashed' } });
    });

    test('a sign of life of a run in progress moves its aborted end there; a finished run is left as it ended', async () => {
      const store = await open();
      await store.beginRun(runMeta('run-alive', T0));
      await store.beginRun(runMeta('run-done', T0));
      await store.finishRun('run-done', { finishedAt: new Date(T0 + MINUTE).toISOString(), outcome: 'passed', summary: { passed: 0, flaky: 0, failed: 0, error: 0, skipped: 0 } });
      clock.set(T0 + 90 * MINUTE);
      await store.touchRuns(['run-alive', 'run-done']);
      // Two hours after the start but not after the sign of life: still alive.
      clock.set(T0 + 2 * HOUR + MINUTE);
      await open();
      expect(new Map((await store.recentRuns(2)).map((run) => [run.runId, run.outcome]))).toEqual(new Map([['run-alive', undefined], ['run-done', 'passed']]));
      clock.set(T0 + 4 * HOUR);
      await open();
      const byId = new Map((await store.recentRuns(2)).map((run) => [run.runId, run]));
      expect(byId.get('run-alive')).toMatchObject({ outcome: 'aborted', finishedAt: new Date(T0 + 90 * MINUTE).toISOString() });
      expect(byId.get('run-done')).toMatchObject({ outcome: 'passed', finishedAt: new Date(T0 + MINUTE).toISOString() });
    });

    test('a dead run leaves no aborted result for a check that ran since its last sign of life', async () => {
      const store = await open();
      await store.beginRun({ ...runMeta('run-dead', T0), plannedChecks: [{ id: 'ping.auth', description: 'auth answers', tags: ['ping'] }] });
      // Another process ran the check after the dead run's last sign of life, and it passed.
      await store.beginRun(runMeta('run-later', T0 + HOUR));
      await store.recordCheck('run-later', checkResult({ id: 'ping.auth', outcome: 'passed', at: T0 + HOUR }));
      await store.finishRun('run-later', { finishedAt: new Date(T0 + HOUR + 1000).toISOString(), outcome: 'passed', summary: { passed: 1, flaky: 0, failed: 0, error: 0, skipped: 0 } });

      clock.set(T0 + 4 * HOUR);
      const reopened = await open();
      expect((await reopened.recentRuns(2)).find((run) => run.runId === 'run-dead')).toMatchObject({ outcome: 'aborted' });
      expect((await reopened.results({ since: T0 })).map((r) => [r.runId, r.outcome])).toEqual([['run-later', 'passed']]);
      expect((await reopened.latestResults()).map((l) => [l.result.id, l.health])).toEqual([['ping.auth', 'up']]);
    });

    test('a run whose process died on this host is aborted at once; one whose process lives is not', async () => {
      const other = { ...thisProcess, pid: 4242 };
      const crashed = await open({ owner: other });
      await crashed.beginRun(runMeta('run-4242', T0));
      await open({ isAlive: () => true });
      expect((await crashed.recentRuns(1))[0]?.outcome).toBeUndefined();

      const reopened = await open({ isAlive: (pid) => pid !== 4242 });
      expect(await reopened.recentRuns(1)).toMatchObject([
        { runId: 'run-4242', outcome: 'aborted', abortReason: `its process (pid 4242 on ${thisProcess.host}) ended before the run finished` },
      ]);
      // Same pid, but an earlier start: an earlier incarnation (pid 1 in a restarted container).
      const earlier = await open({ owner: { ...thisProcess, processStartedMs: thisProcess.processStartedMs - 1000 } });
      await earlier.beginRun(runMeta('run-earlier', T0 + MINUTE));
      await open();
      expect((await reopened.recentRuns(1))[0]).toMatchObject({ runId: 'run-earlier', outcome: 'aborted' });
    });

    test('retention: passed results go after 30 days, failed ones after 90, hourly aggregates stay a year', async () => {
      const store = await open();
      const now = T0 + 200 * DAY;
      await recordAll(store, [
        { id: 'ping.queue', outcome: 'failed', at: now - 100 * DAY },
        { id: 'ping.queue', outcome: 'passed', at: now - 40 * DAY, metrics: { response_ms: { value: 40, unit: 'ms' } } },
        { id: 'ping.queue', outcome: 'error', at: now - 40 * DAY + HOUR },
        { id: 'ping.queue', outcome: 'passed', at: now - 10 * DAY, metrics: { response_ms: { value: 10, unit: 'ms' } } },
      ]);
      clock.set(now);
      const report = await store.prune(now);
      expect(report).toEqual({ results: 2, aggregates: 0, runs: 1 });
      const hoursAgo = (startedAt: string) => (now - Date.parse(startedAt)) / HOUR;
      expect((await store.results({ since: 0 })).map((r) => `${r.outcome} ${hoursAgo(r.startedAt)}h ago`)).toEqual([
        'passed 240h ago', 'error 959h ago',
      ]);
      // Only the run left without results and older than every retention goes.
      expect((await store.recentRuns(10)).map((run) => hoursAgo(run.startedAt))).toEqual([240, 959, 960]);
      // The aggregates still count every result, and their metrics.
      const [summary] = (await store.summarize({ since: now - 150 * DAY })).checks;
      expect(summary?.counts).toMatchObject({ passed: 2, failed: 1, error: 1 });
      expect(summary?.metrics.response_ms).toMatchObject({ count: 2, min: 10, max: 40 });
      // ... and a failing streak survives the pruning of the passes around it.
      expect(summary?.longestFailingStreak?.length).toBe(1);

      // Aggregates older than their retention go too.
      const later = await store.prune(now, { raw: 30 * DAY, failed: 90 * DAY, aggregates: 50 * DAY });
      expect(later.aggregates).toBeGreaterThan(0);
      expect((await store.summarize({ since: 0 })).checks[0]?.counts).toMatchObject({ passed: 2, failed: 0, error: 1 });
      expect(await store.prune(now)).toEqual({ results: 0, aggregates: 0, runs: 0 });
    });

    test('migrations apply once: reopening and re-applying change nothing', async () => {
      const store = await open();
      await recordAll(store, [{ id: 'ping.queue', outcome: 'passed', at: T0 }]);
      await store.close();
      const again = await open();
      expect(await again.results({ since: T0 })).toHaveLength(1);
      const db = await fresh.database();
      try {
        expect(await applyMigrations(db, T0)).toEqual([]);
        const versions = await db.read((q) => q.all<{ version: number }>('SELECT version FROM schema_version'));
        expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((step) => step.version));
      } finally {
        await db.close();
      }
    });

    test('a history made by schema version 1 keeps its rows on migrating, and accounting goes on from them', async () => {
      // What version 1 wrote for one run: a pass then a failure of ping.queue, their hour's counts and the latest row.
      const v1 = await fresh.database();
      try {
        expect(await applyMigrations(v1, T0, MIGRATIONS.filter((step) => step.version === 1))).toEqual([1]);
        await v1.write(async (q) => {
          await q.run(
            `INSERT INTO runs (run_id, root_url, deployment_version, tool_version, started_ms, finished_ms, outcome, summary,
               owner_host, owner_pid, owner_started_ms, last_seen_ms) VALUES ('run-v1', 'https://tc.example.com', 'v74.0.0', '0.1.0',
               ?, ?, 'failed', '{"passed":0,"flaky":0,"failed":1,"error":0,"skipped":0}', 'old-host', 1, 0, ?)`,
            [T0, T0 + 2 * MINUTE, T0 + 2 * MINUTE]);
          const insertResult = (checkId: string, seq: number, outcome: string, at: number, error: string | null) =>
            q.all<{ id: number }>(
              `INSERT INTO results (run_id, check_id, seq, outcome, started_ms, duration_ms, description, tags, skip_reason, error, log)
                VALUES ('run-v1', ?, ?, ?, ?, 120, 'checks it', '["test"]', NULL, ?, '[]') RETURNING id`,
              [checkId, seq, outcome, at, error]);
          await insertResult('ping.auth', 1, 'passed', T0, null);
          const [failed] = await insertResult('ping.queue', 1, 'failed', T0 + MINUTE, '{"kind":"assertion","message":"expected 200, got 500"}');
          await q.run(`INSERT INTO hourly_outcomes (hour_ms, check_id, passed, flaky, failed, error, skipped)
            VALUES (?, 'ping.auth', 1, 0, 0, 0, 0), (?, 'ping.queue', 0, 0, 1, 0, 0)`, [T0, T0]);
          await q.run(`INSERT INTO latest (check_id, result_id, health, since_ms, consecutive_failures, seq)
            VALUES ('ping.queue', ?, 'down', ?, 1, 1)`, [failed!.id, T0 + MINUTE]);
        });
      } finally {
        await v1.close();
      }

      const store = await open();
      const [old] = await store.results({ since: T0, checkPattern: 'ping.queue' });
      expect(old).toMatchObject({ runId: 'run-v1', outcome: 'failed', error: { message: 'expected 200, got 500' } });
      expect(old).not.toHaveProperty('maintenance');
      expect(await store.uptime('ping.queue', T0)).toEqual({ up: 0, counted: 1, ratio: 0, inMaintenance: 0 });

      await recordAll(store, [
        { id: 'ping.queue', outcome: 'failed', at: T0 + 2 * MINUTE, maintenance: MAINTENANCE },
        { id: 'ping.queue', outcome: 'error', at: T0 + 3 * MINUTE },
      ]);
      expect((await store.latestResults()).map((l) => [l.checkId, l.consecutiveFailures])).toEqual([['ping.queue', 2]]);
      const [summary] = (await store.summarize({ since: T0, pattern: 'ping.queue' })).checks;
      expect(summary).toMatchObject({
        counts: { failed: 2, error: 1 },
        uptime: { up: 0, counted: 2, inMaintenance: 1 },
        longestFailingStreak: { length: 2, from: new Date(T0 + MINUTE).toISOString(), to: new Date(T0 + 3 * MINUTE).toISOString() },
      });
      expect((await store.recentRuns(5)).map((run) => run.runId)).toContain('run-v1');
    });

    test('a schema newer than this tc-canary refuses to open, saying so', async () => {
      await (await open()).close();
      const db = await fresh.database();
      await db.write((q) => q.run("INSERT INTO schema_version (version, name, applied_ms) VALUES (999, 'future', 0)"));
      await db.close();
      await expect(open()).rejects.toThrow(`schema is at version 999, newer than this tc-canary knows (${MIGRATIONS.at(-1)!.version})`);
    });

    test('a failed write surfaces as an error and leaves nothing half-written', async () => {
      const store = await open();
      await store.beginRun(runMeta('run-1', T0));
      const db = await fresh.database();
      try {
        // The result row is written before the metrics: the failure comes mid-transaction.
        await db.write((q) => q.run('ALTER TABLE metrics RENAME TO metrics_gone'));
        const result = checkResult({ id: 'ping.queue', outcome: 'passed', at: T0, metrics: { response_ms: { value: 5, unit: 'ms' } } });
        const failure = store.recordCheck('run-1', result);
        await expect(failure).rejects.toBeInstanceOf(HistoryError);
        await expect(failure).rejects.toThrow(/^history .*: cannot record check "ping.queue" of run run-1: .*metrics/);
        await db.write((q) => q.run('ALTER TABLE metrics_gone RENAME TO metrics'));
      } finally {
        await db.close();
      }
      expect(await store.results({ since: 0 })).toEqual([]);
      expect(await store.latestResults()).toEqual([]);
      expect(await store.uptime('ping.queue', 0)).toEqual({ up: 0, counted: 0, ratio: null, inMaintenance: 0 });
      await expect(store.recordCheck('run-unknown', checkResult({ id: 'ping.queue', outcome: 'passed', at: T0 })))
        .rejects.toThrow(/run run-unknown was never begun/);
    });

    describe('by deployment version', () => {
      /** One run per result on the given version (null: the deployment named none). */
      async function recordOnVersion(store: HistoryStore, version: string | null, specs: readonly ResultSpec[]): Promise<void> {
        for (const [i, spec] of specs.entries()) {
          const runId = `run-${version}-${spec.at}-${i}`;
          await store.beginRun({ ...runMeta(runId, spec.at), deploymentVersion: version });
          await store.recordCheck(runId, checkResult(spec));
        }
      }
      const response = (value: number) => ({ response_ms: { value, unit: 'ms' } });

      test('versions lists each version once, build metadata dropped, oldest last seen first, and counts unversioned runs apart', async () => {
        const store = await open();
        await recordOnVersion(store, 'v73.2.0', [{ id: 'ping.queue', outcome: 'passed', at: T0 - 2 * DAY }]);
        await recordOnVersion(store, 'v74.0.0', [{ id: 'ping.queue', outcome: 'passed', at: T0 }]);
        await recordOnVersion(store, 'v74.0.0+build.7', [{ id: 'ping.queue', outcome: 'passed', at: T0 + HOUR }]);
        await recordOnVersion(store, null, [{ id: 'ping.queue', outcome: 'passed', at: T0 + 2 * HOUR }]);
        await recordOnVersion(store, 'v74.0.1', [{ id: 'ping.queue', outcome: 'failed', at: T0 + 3 * HOUR }, { id: 'ping.auth', outcome: 'passed', at: T0 + 4 * HOUR }]);
        await recordOnVersion(store, 'v74.0.0', [{ id: 'ping.queue', outcome: 'passed', at: T0 + 5 * HOUR }]);

        expect(await store.versions(T0 - DAY)).toEqual({
          versions: [
            { version: 'v74.0.1', spellings: ['v74.0.1'], runs: 2, firstSeen: new Date(T0 + 3 * HOUR).toISOString(), lastSeen: new Date(T0 + 4 * HOUR).toISOString() },
            { version: 'v74.0.0', spellings: ['v74.0.0', 'v74.0.0+build.7'], runs: 3, firstSeen: new Date(T0).toISOString(), lastSeen: new Date(T0 + 5 * HOUR).toISOString() },
          ],
          unversionedRuns: 1,
        });
        expect((await store.versions(0)).versions.map((v) => v.version)).toEqual(['v73.2.0', 'v74.0.1', 'v74.0.0']);
      });

      test("versionSamples has one version's outcome counts and metric values since a time, any build metadata, of matching checks", async () => {
        const store = await open();
        await recordOnVersion(store, 'v74.0.0', [
          { id: 'ping.queue', outcome: 'passed', at: T0 - HOUR, metrics: response(999) },
          { id: 'ping.queue', outcome: 'passed', at: T0, metrics: response(10) },
          { id: 'ping.queue', outcome: 'flaky', at: T0 + MINUTE, metrics: response(12) },
          { id: POOL_CLAIM, outcome: 'failed', at: T0 + 2 * MINUTE, metrics: { claim_latency_ms: { value: 800, unit: 'ms' }, pending: { value: 3, unit: 'count' } } },
          { id: POOL_CLAIM, outcome: 'skipped', at: T0 + 3 * MINUTE },
        ]);
        await recordOnVersion(store, 'v74.0.0+build.9', [{ id: 'ping.queue', outcome: 'error', at: T0 + 4 * MINUTE, metrics: response(14) }]);
        await recordOnVersion(store, 'v74.0.1', [{ id: 'ping.queue', outcome: 'passed', at: T0 + 5 * MINUTE, metrics: response(500) }]);
        await recordOnVersion(store, null, [{ id: 'ping.queue', outcome: 'passed', at: T0 + 6 * MINUTE, metrics: response(600) }]);
        // A version whose name LIKE would match by its wildcard: not the same version.
        await recordOnVersion(store, 'v74a0.0', [{ id: 'ping.queue', outcome: 'passed', at: T0 + 7 * MINUTE, metrics: response(700) }]);

        const samples = await store.versionSamples({ version: 'v74.0.0', since: T0 });
        const sorted = samples.metrics.map((m) => ({ ...m, values: [...m.values].sort((a, b) => a - b) }))
          .sort((a, b) => `${a.checkId} ${a.metric}`.localeCompare(`${b.checkId} ${b.metric}`));
        expect(sorted).toEqual([
          { checkId: 'ping.queue', metric: 'response_ms', unit: 'ms', values: [10, 12, 14] },
          { checkId: POOL_CLAIM, metric: 'claim_latency_ms', unit: 'ms', values: [800] },
          { checkId: POOL_CLAIM, metric: 'pending', unit: 'count', values: [3] },
        ]);
        expect(Object.fromEntries(samples.outcomes)).toEqual({
          'ping.queue': { passed: 1, flaky: 1, failed: 0, error: 1, skipped: 0 },
          [POOL_CLAIM]: { passed: 0, flaky: 0, failed: 1, error: 0, skipped: 1 },
        });

        const queueOnly = await store.versionSamples({ version: 'v74.0.0', since: T0, pattern: 'ping.*' });
        expect(queueOnly.metrics.map((m) => m.metric)).toEqual(['response_ms']);
        expect([...queueOnly.outcomes.keys()]).toEqual(['ping.queue']);
        const named = await store.versionSamples({ version: 'v74.0.0', since: T0, checkIds: [POOL_CLAIM, 'ping.gone'] });
        expect(named.metrics.map((m) => m.metric).sort()).toEqual(['claim_latency_ms', 'pending']);
        expect((await store.versionSamples({ version: 'v74.0.0', since: T0, checkIds: [POOL_CLAIM], pattern: 'ping.*' })).metrics).toEqual([]);
        expect((await store.versionSamples({ version: 'v99.0.0', since: 0 }))).toEqual({ metrics: [], outcomes: new Map() });
      });

      test('a history of schema version 3 gets its results and metrics filed under their run\'s version on migrating', async () => {
        const v3 = await fresh.database();
        try {
          await applyMigrations(v3, T0, MIGRATIONS.filter((step) => step.version <= 3));
          await v3.write(async (q) => {
            await q.run(
              `INSERT INTO runs (run_id, root_url, deployment_version, tool_version, started_ms, owner_host, owner_pid, owner_started_ms, last_seen_ms)
                 VALUES ('run-v3', 'https://tc.example.com', 'v74.0.0+build.1', '0.1.0', ?, 'old-host', 1, 0, ?)`, [T0, T0]);
            const [row] = await q.all<{ id: number }>(
              `INSERT INTO results (run_id, check_id, seq, outcome, started_ms, duration_ms, description, tags, log)
                VALUES ('run-v3', 'ping.queue', 1, 'passed', ?, 120, 'checks it', '["test"]', '[]') RETURNING id`, [T0]);
            await q.run(`INSERT INTO metrics (result_id, name, value, unit, check_id, started_ms) VALUES (?, 'response_ms', 42, 'ms', 'ping.queue', ?)`, [row!.id, T0]);
            await q.run(`INSERT INTO hourly_metrics (hour_ms, check_id, name, unit, count, sum, min, max) VALUES (?, 'ping.queue', 'response_ms', 'ms', 1, 42, 42, 42)`, [T0]);
            await q.run(`INSERT INTO hourly_outcomes (hour_ms, check_id, passed, flaky, failed, error, skipped) VALUES (?, 'ping.queue', 1, 0, 0, 0, 0)`, [T0]);
          });
        } finally {
          await v3.close();
        }
        const store = await open();
        const samples = await store.versionSamples({ version: 'v74.0.0', since: T0 });
        expect(samples.metrics).toEqual([{ checkId: 'ping.queue', metric: 'response_ms', unit: 'ms', values: [42] }]);
        expect(samples.outcomes.get('ping.queue')).toMatchObject({ passed: 1 });
      });

      test('each side reads at most MAX_VALUES_PER_METRIC results of a check and values of a metric, the newest', async () => {
        const store = await open();
        const runs = Array.from({ length: MAX_VALUES_PER_METRIC + 5 }, (_, i): RunResult => {
          const checks = [checkResult({ id: 'ping.queue', outcome: 'passed', at: T0 + i * MINUTE, metrics: response(i) })];
          return {
            schemaVersion: 1, runId: `bulk-${i}`, startedAt: new Date(T0 + i * MINUTE).toISOString(), finishedAt: new Date(T0 + i * MINUTE + 1000).toISOString(),
            durationMs: 1000, rootUrl: 'https://tc.example.com', deployment: { version: 'v74.0.0' }, tool: { name: 'tc-canary', version: '0.1.0' },
            outcome: 'passed', summary: summarize(checks), checks,
          };
        });
        await store.importRuns(runs);
        const samples = await store.versionSamples({ version: 'v74.0.0', since: T0 });
        const [values] = samples.metrics;
        expect(values!.values).toHaveLength(MAX_VALUES_PER_METRIC);
        expect(Math.min(...values!.values)).toBe(5);
        expect(samples.outcomes.get('ping.queue')).toMatchObject({ passed: MAX_VALUES_PER_METRIC });
      });

      test('a run group is kept with its runs', async () => {
        const store = await open();
        await store.beginRun({ ...runMeta('run-1', T0), runGroup: 'group-1' });
        await store.beginRun(runMeta('run-2', T0 + MINUTE));
        expect((await store.recentRuns(2)).map((run) => [run.runId, run.runGroup])).toEqual([['run-2', undefined], ['run-1', 'group-1']]);
      });
    });

    test('a history that cannot be opened says which one, without its password', async () => {
      const failure = openHistory(target.unopenable.spec, { clock });
      await expect(failure).rejects.toBeInstanceOf(HistoryError);
      const message = await failure.catch((error: Error) => error.message);
      expect(message).toContain(`cannot open history ${target.unopenable.shows}`);
      if (target.unopenable.hides) expect(message).not.toContain(target.unopenable.hides);
    });
  });
}
