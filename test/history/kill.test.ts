// A real kill -9: a child process (the built store in dist/, which the test command builds first) begins a
// run of two checks, records one and is killed mid-run; the next open marks that run aborted at once, keeps
// what it recorded, and records the other check as aborted.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open.js';
import { checkResult, runMeta, T0 } from './results.js';

const BUILT_STORE = fileURLToPath(new URL('../../dist/src/history/open.js', import.meta.url));
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
