// compareVersions over a real SQLite history: which versions it picks, the verdicts it reaches, and the three
// renderings (console table, JSON against docs/comparison.schema.json, JUnit).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Outcome } from '../../src/check/result.js';
import { compareVersions, UnknownVersionError, type CompareRequest } from '../../src/compare/comparison.js';
import { renderComparisonTable } from '../../src/compare/console-table.js';
import { renderComparisonJunit } from '../../src/compare/junit.js';
import { DEFAULT_COMPARE_SETTINGS } from '../../src/compare/verdict.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { checkResult, manualClock, MINUTE, runMeta, T0 } from '../history/results.js';
import { comparisonSchemaErrors } from '../report/schema.js';
import { latencies, seeded } from './samples.js';

let dir: string;
let store: HistoryStore;
let at = T0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tc-canary-compare-'));
  store = await openHistory(`sqlite:${join(dir, 'history.db')}`, { clock: manualClock(T0) });
  at = T0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RunSpec {
  queueMs: number;
  authMs: number;
  queueOutcome?: Outcome;
}

/** One run per spec on `version`: ping.queue and ping.auth, each with its response_ms. */
async function runsOn(version: string | null, specs: readonly RunSpec[]): Promise<void> {
  for (const spec of specs) {
    at += MINUTE;
    const runId = `run-${at}`;
    await store.beginRun({ ...runMeta(runId, at), deploymentVersion: version });
    await store.recordCheck(runId, checkResult({ id: 'ping.queue', outcome: spec.queueOutcome ?? 'passed', at, metrics: { response_ms: { value: spec.queueMs, unit: 'ms' } } }));
    await store.recordCheck(runId, checkResult({ id: 'ping.auth', outcome: 'passed', at, metrics: { response_ms: { value: spec.authMs, unit: 'ms' } } }));
  }
}

/** n runs: queue around queueMs, auth around 80 ms, both with 10 % jitter. */
function batch(next: () => number, n: number, queueMs: number, queueOutcome?: Outcome): RunSpec[] {
  const queue = latencies(next, n, queueMs, 0.1);
  const auth = latencies(next, n, 80, 0.1);
  return queue.map((queueValue, i) => ({ queueMs: queueValue, authMs: auth[i]!, ...(queueOutcome && { queueOutcome }) }));
}

const request = (extra: Partial<CompareRequest> = {}): CompareRequest =>
  ({ baseline: 'previous', current: 'latest', since: T0, settings: DEFAULT_COMPARE_SETTINGS, ...extra });

describe('compareVersions', () => {
  test('a queue twice as slow on the new version is regressed, the unchanged check the same; unversioned runs count on neither side', async () => {
    const next = seeded(1);
    await runsOn('v74.0.0', batch(next, 4, 100));
    await runsOn('v74.0.0+build.2', batch(next, 4, 100));
    await runsOn(null, batch(next, 2, 5000));
    await runsOn('v74.0.1', batch(next, 8, 200));

    const comparison = await compareVersions(store, request());
    expect(comparison).toMatchObject({
      baseline: { version: 'v74.0.0', requested: 'previous', runs: 8 },
      current: { version: 'v74.0.1', requested: 'latest', runs: 8 },
      unversionedRuns: 2,
      verdict: 'regressed',
    });
    expect(comparison.checks.map((c) => [c.checkId, c.verdict])).toEqual([['ping.queue', 'regressed'], ['ping.auth', 'same']]);
    const [queue] = comparison.checks[0]!.metrics;
    expect(queue).toMatchObject({ metric: 'response_ms', unit: 'ms', baseline: { n: 8 }, current: { n: 8 }, test: 'mann-whitney-exact', verdict: 'regressed' });
    expect(queue!.ratio).toBeCloseTo(2, 0);
    expect(comparison.checks[0]!.rates.map((r) => [r.rate, r.verdict])).toEqual([['failed', 'same'], ['error', 'same'], ['flaky', 'same']]);
    expect(comparisonSchemaErrors({ comparison })).toEqual([]);
  });

  test('previous skips an earlier version with too few runs; named versions are compared whatever their order', async () => {
    const next = seeded(2);
    await runsOn('v73.9.0', batch(next, 6, 100));
    await runsOn('v74.0.0-rc.1', batch(next, 2, 100));
    await runsOn('v74.0.1', batch(next, 6, 100));
    expect((await compareVersions(store, request())).baseline?.version).toBe('v73.9.0');
    const named = await compareVersions(store, request({ baseline: 'v74.0.1', current: 'v73.9.0' }));
    expect([named.baseline?.version, named.current?.version]).toEqual(['v74.0.1', 'v73.9.0']);
    expect(named.verdict).toBe('same');
    // The release candidate has 2 runs: every verdict on it lacks data.
    expect((await compareVersions(store, request({ baseline: 'v74.0.0-rc.1' }))).verdict).toBe('not enough data');
  });

  test('a failure rate that rises is regressed', async () => {
    const next = seeded(3);
    await runsOn('v74.0.0', batch(next, 20, 100));
    await runsOn('v74.0.1', [...batch(next, 10, 100, 'failed'), ...batch(next, 10, 100)]);
    const queue = (await compareVersions(store, request())).checks.find((c) => c.checkId === 'ping.queue')!;
    expect(queue.verdict).toBe('regressed');
    expect(queue.rates[0]).toMatchObject({ rate: 'failed', baseline: { hits: 0, total: 20 }, current: { hits: 10, total: 20, rate: 0.5 }, verdict: 'regressed' });
  });

  test('no earlier version with enough runs, or no versioned run at all, is not enough data with the reason', async () => {
    await runsOn(null, batch(seeded(4), 3, 100));
    expect(await compareVersions(store, request())).toMatchObject({
      baseline: null, current: null, verdict: 'not enough data', checks: [], reason: expect.stringContaining("named its deployment's version"),
    });
    await runsOn('v74.0.1', batch(seeded(4), 6, 100));
    const alone = await compareVersions(store, request());
    expect(alone).toMatchObject({ baseline: null, current: { version: 'v74.0.1' }, reason: expect.stringMatching(/^no version seen before v74\.0\.1 since .* has 5 runs$/) });
    expect(comparisonSchemaErrors({ comparison: alone })).toEqual([]);
  });

  test('a version the history lacks, or the same version on both sides, is refused', async () => {
    await runsOn('v74.0.1', batch(seeded(5), 6, 100));
    await expect(compareVersions(store, request({ baseline: 'v70.0.0' }))).rejects.toThrow(UnknownVersionError);
    await expect(compareVersions(store, request({ current: 'v70.0.0' }))).rejects.toThrow(/--current: no run since .* was on version v70\.0\.0 \(versions seen: v74\.0\.1\)/);
    await expect(compareVersions(store, request({ baseline: 'v74.0.1+other' }))).rejects.toThrow('--baseline: v74.0.1+other is the --current version too (v74.0.1)');
  });
});

describe('renderings', () => {
  test('the console table puts the regressed check first with the numbers side by side', async () => {
    const next = seeded(6);
    await runsOn('v74.0.0', batch(next, 6, 240));
    await runsOn(null, batch(next, 1, 240));
    await runsOn('v74.0.1', batch(next, 6, 610));
    const text = renderComparisonTable(await compareVersions(store, request()));
    expect(text).toMatch(/^ {2}baseline previous: v74\.0\.0 \(6 runs, /m);
    expect(text).toContain('1 run(s) whose deployment named no version are counted on neither side');
    const lines = text.split('\n');
    const queueAt = lines.indexOf('ping.queue  regressed');
    expect(queueAt).toBeGreaterThan(0);
    expect(lines[queueAt + 1]).toMatch(/^ {2}response_ms {2}p50 2\d\d -> [56]\d\d ms \(x2\.\d, p=0\.00\d\) +p95 \d+ -> \d+ ms +n 6\/6 {2}regressed$/);
    expect(lines.indexOf('ping.auth  same')).toBeGreaterThan(queueAt);
    expect(text).toMatch(/1 regressed, 0 improved, 7 same, 0 not enough data \(each side needs 5 samples; a shift counts at p < 0\.01 and at least 20 % and 10 ms\)/);
  });

  test('JUnit: a regressed metric is a failed test case compare.<check>.<metric>, the others pass', async () => {
    const next = seeded(7);
    await runsOn('v74.0.0', batch(next, 6, 240));
    await runsOn('v74.0.1', batch(next, 6, 610));
    const xml = renderComparisonJunit(await compareVersions(store, request()));
    expect(xml).toMatch(/<testcase classname="tc-canary\.compare" name="compare\.ping\.queue\.response_ms" time="0">\s*<failure message="response_ms p50 \d+(\.\d+)? -> \d+(\.\d+)? ms \(x2\.\d+, p=0\.00\d+\), n 6\/6: regressed" type="regression"\/>/);
    expect(xml).toMatch(/<testcase classname="tc-canary\.compare" name="compare\.ping\.auth\.response_ms" time="0">\s*<system-out>/);
    expect(xml).toContain('name="compare.ping.queue.failed_rate"');
    expect(xml.match(/<failure/g)).toHaveLength(1);
  });
});
