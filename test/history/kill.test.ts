// A real kill -9: a child process (the built store in dist/, which the test command builds first) begins a
// run of two checks, records one and is killed mid-run; the next open marks that run aborted at once, keeps
// what it recorded, and records the other check as aborted. A run recorded through the HistoryRecorder (as `run`
// and `serve` record) keeps showing signs of life while its checks run, so its aborted record ends where its
// process died, not at its last recorded check.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open.js';
import { checkResult, runMeta, T0 } from './results.js';

const BUILT_STORE = fileURLToPath(new URL('../../dist/src/history/open.js', import.meta.url));
const BUILT_RECORDER = fileURLToPath(new URL('../../dist/src/history/recorder.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tc-canary-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLANNED = [
  { id: 'ping.queue', description: 'queue answers', tags: ['ping', 'queue'] },
  { id: 'ping.auth', description: 'auth answers', tags: ['ping', 'auth'] },
];

const CHILD = `
const [openJs, spec, meta, result] = process.argv.slice(1);
const { openHistory } = await import(openJs);
const store = await openHistory(spec);
const run = JSON.parse(meta);
await store.beginRun(run);
await store.recordCheck(run.runId, JSON.parse(result));
console.log('recorded');
setInterval(() => {}, 1000);
`;

test('a run killed with -9 is marked aborted at the next open, with what it recorded and the unfinished check aborted', async () => {
  expect(existsSync(BUILT_STORE), `${BUILT_STORE} is missing: run \`npm run build\` (npm test does)`).toBe(true);
  const spec = `sqlite:${join(dir, 'history.db')}`;
  const result = checkResult({ id: 'ping.queue', outcome: 'passed', at: T0 });
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, '--',
    pathToFileURL(BUILT_STORE).href, spec, JSON.stringify({ ...runMeta('run-killed', T0), plannedChecks: PLANNED }), JSON.stringify(result)],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('recorded') && resolve());
    child.on('exit', () => reject(new Error('the child ended before recording')));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const store = await openHistory(spec, { clock: { now: () => T0 } });
  try {
    const [run] = await store.recentRuns(1);
    const reason = `its process (pid ${child.pid} on ${hostname()}) ended before the run finished`;
    expect(run).toMatchObject({ runId: 'run-killed', outcome: 'aborted', summary: { passed: 1, error: 1 } });
    expect(run?.abortReason).toBe(reason);
    const results = await store.results({ since: T0 });
    expect(results).toContainEqual({ ...result, runId: 'run-killed' });
    expect(results.find((r) => r.id === 'ping.auth')).toMatchObject({
      runId: 'run-killed', outcome: 'error', description: 'auth answers', tags: ['ping', 'auth'],
      error: { kind: 'aborted', message: `not finished: ${reason}` },
    });
    expect(results).toHaveLength(2);
  } finally {
    await store.close();
  }
});

const SIGN_OF_LIFE_EVERY_MS = 200;
/** How long the child lives after its first check, far beyond the interval: the record must follow it. */
const LIVES_MS = 1_500;

const RECORDING_CHILD = `
const [openJs, recorderJs, spec, plan, result, everyMs, livesMs] = process.argv.slice(1);
const { openHistory } = await import(openJs);
const { HistoryRecorder } = await import(recorderJs);
const store = await openHistory(spec);
const reporter = new HistoryRecorder(store, { toolVersion: '0.1.0', onProblem: console.error, signOfLifeEveryMs: Number(everyMs) }).reporter();
reporter.onRunStart({ ...JSON.parse(plan), startedAt: new Date().toISOString() });
reporter.onCheckEnd(JSON.parse(result));
setTimeout(() => console.log('still running'), Number(livesMs));
setInterval(() => {}, 1000);
`;

test(`a run killed with -9 long after its last recorded check ends, in its aborted record, within ${SIGN_OF_LIFE_EVERY_MS} ms of its death`, async () => {
  expect(existsSync(BUILT_RECORDER), `${BUILT_RECORDER} is missing: run \`npm run build\` (npm test does)`).toBe(true);
  const spec = `sqlite:${join(dir, 'recorded.db')}`;
  const plan = { runId: 'run-recorded', rootUrl: 'https://tc.example.com', deploymentVersion: 'v74.0.0', checks: PLANNED };
  const startedMs = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', RECORDING_CHILD, '--',
    pathToFileURL(BUILT_STORE).href, pathToFileURL(BUILT_RECORDER).href, spec, JSON.stringify(plan),
    JSON.stringify(checkResult({ id: 'ping.queue', outcome: 'passed', at: startedMs })), String(SIGN_OF_LIFE_EVERY_MS), String(LIVES_MS)],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('still running') && resolve());
    child.on('exit', () => reject(new Error('the child ended early')));
  });
  const killedMs = Date.now();
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const store = await openHistory(spec);
  try {
    const [run] = await store.recentRuns(1);
    expect(run).toMatchObject({ runId: 'run-recorded', outcome: 'aborted', summary: { passed: 1, error: 1 } });
    const finishedMs = Date.parse(run!.finishedAt!);
    expect(finishedMs).toBeLessThanOrEqual(killedMs);
    // One interval, plus what a busy machine adds to a timer and a write.
    expect(killedMs - finishedMs).toBeLessThan(SIGN_OF_LIFE_EVERY_MS + 300);
    expect(finishedMs - Date.parse(run!.startedAt)).toBeGreaterThan(LIVES_MS - SIGN_OF_LIFE_EVERY_MS);
    const aborted = (await store.results({ since: 0 })).find((r) => r.id === 'ping.auth');
    expect(aborted).toMatchObject({ outcome: 'error', startedAt: run!.finishedAt, error: { kind: 'aborted' } });
  } finally {
    await store.close();
  }
});
