// `tc-canary run` records into history by default (not with --no-history), a history that cannot be written
// changes neither the reports nor the exit code, and `tc-canary history` summarizes what was recorded.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistory } from '../../src/history/open.js';
import { DAY, recordAll } from '../history/results.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';

let deployment: FakeDeployment;
const dirs: string[] = [];

beforeAll(async () => {
  deployment = await FakeDeployment.start();
  // ping.queue fails: a 500 from the service.
  deployment.set('/api/queue/v1/ping', { status: 500, body: { code: 'InternalServerError', message: 'broken' } });
});
afterAll(async () => {
  await deployment.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(history?: string, extra: string[] = []): string {
  const lines = [`rootUrl: ${deployment.rootUrl}`, 'services: [auth, queue]', 'checks:', "  include: ['ping.*']", ...extra];
  if (history) lines.push(`history: ${history}`);
  const dir = projectDir(`${lines.join('\n')}\n`);
  dirs.push(dir);
  return dir;
}

const RUN = ['run', '--json', 'report.json', '--junit', 'report.xml'];

async function recordedIds(dir: string): Promise<Set<string>> {
  const store = await openHistory(`sqlite:${path.join(dir, 'tc-canary.db')}`);
  try {
    return new Set((await store.results({ since: 0 })).map((result) => result.id));
  } finally {
    await store.close();
  }
}

describe('tc-canary run and its history', () => {
  it('records every check of a run into tc-canary.db by default, and history summarizes it', async () => {
    const dir = project();
    const first = await runCli(RUN, { cwd: dir });
    expect(first.code).toBe(1);
    expect(existsSync(path.join(dir, 'tc-canary.db'))).toBe(true);
    expect((await runCli(RUN, { cwd: dir })).code).toBe(1);

    const json = await runCli(['history', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary.runs).toMatchObject({ total: 2, aborted: 0 });
    const byId = Object.fromEntries(summary.checks.map((check: { checkId: string }) => [check.checkId, check]));
    expect(byId['ping.auth']).toMatchObject({ counts: { passed: 2, failed: 0, error: 0 }, uptime: { ratio: 1 } });
    expect(byId['ping.queue'].uptime.ratio).toBe(0);
    expect(byId['ping.queue'].longestFailingStreak.length).toBe(2);
    expect(byId['ping.queue'].lastFailure.reason).toMatch(/500/);
    expect(byId['ping.auth'].metrics.response_ms.count).toBe(2);

    const table = await runCli(['history', 'ping.q*', '--since', '1d'], { cwd: dir });
    expect(table.stdout).toMatch(/^ping\.queue\s+0%\s+0\s+0\s+(2\s+0|0\s+2)\s+0/m);
    expect(table.stdout).not.toMatch(/^ping\.auth/m);
    expect(table.stdout).toMatch(/last failure: .*500/);
    expect(table.stdout).toMatch(/runs: 2, aborted: 0/);
  }, 60_000);

  it('records nothing with --no-history', async () => {
    const dir = project();
    expect((await runCli([...RUN, '--no-history'], { cwd: dir })).code).toBe(1);
    expect(existsSync(path.join(dir, 'tc-canary.db'))).toBe(false);
    const history = await runCli(['history'], { cwd: dir });
    expect(history.stderr).toMatch(/no history at tc-canary\.db yet/);
    // A script asking for JSON gets an empty summary to parse, and still no file is made.
    const json = await runCli(['history', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ checks: [], runs: { total: 0, aborted: 0 } });
    expect(existsSync(path.join(dir, 'tc-canary.db'))).toBe(false);
  }, 30_000);

  it('prunes what is past the configured retention once the run is recorded: other results sooner than failures', async () => {
    const dir = project(undefined, ['retention: {results: 10d, failures: 20d}']);
    const store = await openHistory(`sqlite:${path.join(dir, 'tc-canary.db')}`);
    await recordAll(store, [
      { id: 'old.passed', outcome: 'passed', at: Date.now() - 15 * DAY },
      { id: 'old.failed', outcome: 'failed', at: Date.now() - 15 * DAY },
      { id: 'older.failed', outcome: 'failed', at: Date.now() - 25 * DAY },
    ]);
    await store.close();
    expect((await runCli(RUN, { cwd: dir })).code).toBe(1);
    expect(await recordedIds(dir)).toEqual(new Set(['old.failed', 'ping.auth', 'ping.queue']));
  }, 30_000);

  it('prunes nothing without retention in its config: a history it shares with a serve keeps the service\'s', async () => {
    const dir = project();
    const store = await openHistory(`sqlite:${path.join(dir, 'tc-canary.db')}`);
    await recordAll(store, [{ id: 'old.passed', outcome: 'passed', at: Date.now() - 200 * DAY }]);
    await store.close();
    expect((await runCli(RUN, { cwd: dir })).code).toBe(1);
    expect(await recordedIds(dir)).toContain('old.passed');
  }, 30_000);

  it('stops at a Pulse config error (exit 2) before opening the history, leaving no history file behind', async () => {
    const dir = project(undefined, ['pulse:', '  namespace: team-canary']);
    const result = await runCli(RUN, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pulse.url: is not set, and neither is PULSE_URL');
    expect(existsSync(path.join(dir, 'tc-canary.db'))).toBe(false);
  }, 30_000);

  it('still writes its reports and keeps its exit code when the history cannot be written, and says why', async () => {
    // Its folder is a file: no SQLite file can be made there, whoever runs the test (root included).
    const dir = project('sqlite:not-a-folder/history.db');
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    const result = await runCli(RUN, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/history .*history\.db.*this run is not recorded/);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.checks.map((check: { id: string }) => check.id).sort()).toEqual(['ping.auth', 'ping.queue']);
    expect(readFileSync(path.join(dir, 'report.xml'), 'utf8')).toContain('ping.queue');
  }, 30_000);

  it('exits 2 on a --since that is not a duration', async () => {
    const dir = project();
    const result = await runCli(['history', '--since', 'forever'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since: expected a duration/);
  });
});
