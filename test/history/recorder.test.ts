import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import type { CheckResult } from '../../src/check/result.js';
import { openHistory } from '../../src/history/open.js';
import { HistoryError, type HistoryStore } from '../../src/history/store.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { mockPreflight, ROOT_URL } from '../support/deployment.js';

const dirs: string[] = [];
afterEach(() => {
  nock.cleanAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const passes = defineCheck({ id: 'test.passes', description: 'passes', async run(ctx) { ctx.metric('x_ms', 4, { unit: 'ms', limit: 10 }); } });
const fails = defineCheck({ id: 'test.fails', description: 'fails', async run(ctx) { ctx.fail('wrong answer'); } });

function runWith(recorder: HistoryRecorder) {
  mockPreflight();
  return runChecks({
    checks: [{ check: passes, params: {} }, { check: fails, params: {} }],
    rootUrl: ROOT_URL, credentials: undefined, concurrency: 2, reporters: [recorder.reporter()],
    redactor: new Redactor(), toolVersion: '0.0.0-test',
  });
}

/** A store that refuses every write while `down` is true, as a locked file or a stopped PostgreSQL would. */
function flakyStore() {
  const written: string[] = [];
  const control = { down: true };
  const refuse = (what: string) => {
    if (control.down) return Promise.reject(new HistoryError(`history sqlite:x.db: cannot record ${what}: database is locked`));
    written.push(what);
    return Promise.resolve();
  };
  const store = {
    label: 'sqlite:x.db',
    beginRun: (meta: { runId: string }) => refuse(`begin ${meta.runId}`),
    recordCheck: (_runId: string, result: CheckResult) => refuse(`check ${result.id}`),
    finishRun: (runId: string) => refuse(`finish ${runId}`),
  } as unknown as HistoryStore;
  return { store, written, control };
}

describe('HistoryRecorder', () => {
  it('records a run into a real SQLite history: the run, each check with its metrics, the end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-recorder-'));
    dirs.push(dir);
    const store = await openHistory(`sqlite:${path.join(dir, 'h.db')}`);
    const problems: string[] = [];
    const recorder = new HistoryRecorder(store, { toolVersion: '0.0.0-test', onProblem: (m) => problems.push(m) });
    const run = await runWith(recorder);
    expect(await recorder.drain()).toBe(0);
    const [recorded] = await store.recentRuns(1);
    expect(recorded).toMatchObject({ runId: run.runId, outcome: 'failed', summary: { passed: 1, failed: 1 } });
    const latest = await store.latestResults();
    expect(latest.map((entry) => [entry.checkId, entry.result.outcome])).toEqual([['test.fails', 'failed'], ['test.passes', 'passed']]);
    expect(latest[1]!.result.metrics.x_ms).toMatchObject({ value: 4, limit: 10, ok: true });
    expect(problems).toEqual([]);
    await store.close();
  });

  it('never fails the run when the store refuses writes: says so once, keeps them, and writes them all in order once it can', async () => {
    const { store, written, control } = flakyStore();
    const problems: string[] = [];
    const recorder = new HistoryRecorder(store, { toolVersion: '0.0.0-test', onProblem: (m) => problems.push(m), retryAfterMs: 0 });
    const run = await runWith(recorder);
    expect(run.summary).toMatchObject({ passed: 1, failed: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/database is locked; results are kept and retried/);
    expect(recorder.state()).toMatchObject({ writable: false, pending: 4 });

    control.down = false;
    expect(await recorder.drain()).toBe(0);
    expect(written).toEqual([`begin ${run.runId}`, expect.stringMatching(/^check test\./), expect.stringMatching(/^check test\./), `finish ${run.runId}`]);
    expect(problems[1]).toMatch(/writable again \(4 queued write\(s\) recorded\)/);
    expect(recorder.state()).toEqual({ writable: true, pending: 0, dropped: 0 });
  });

  it('counts out loud what it could not write by the time it drains', async () => {
    const { store } = flakyStore();
    const problems: string[] = [];
    const recorder = new HistoryRecorder(store, { toolVersion: '0.0.0-test', onProblem: (m) => problems.push(m) });
    await runWith(recorder);
    expect(await recorder.drain()).toBe(4);
    expect(problems.at(-1)).toMatch(/4 write\(s\) of 1 run\(s\) could not be recorded \(.*database is locked\); the run's reports still have every result/);
  });

  it('over its limit drops the oldest runs whole, and the rest still records', async () => {
    const { store, written, control } = flakyStore();
    const problems: string[] = [];
    const recorder = new HistoryRecorder(store, { toolVersion: '0.0.0-test', onProblem: (m) => problems.push(m), retryAfterMs: 0, maxPending: 6 });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runWith(recorder));
    expect(recorder.state()).toMatchObject({ pending: 4, dropped: 8 });
    expect(problems).toContainEqual(expect.stringMatching(/over 6 writes waiting; dropping the oldest runs/));
    control.down = false;
    expect(await recorder.drain()).toBe(0);
    // Only the newest run is left, and it is written whole: no check without its run's start.
    expect(written[0]).toBe(`begin ${runs[2]!.runId}`);
    expect(written).toHaveLength(4);
    expect(written.at(-1)).toBe(`finish ${runs[2]!.runId}`);
  });
});
