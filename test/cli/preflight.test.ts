// The preflight as a user meets it: a client that cannot read its own scopes, a scope revoked under a running
// service, and a prober whose clock is hours off the deployment's (which refuses Hawk stamps 15 min off).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli, type CliProcess } from '../support/cli-process.js';

const TASK_ID = 'fN1SbArXTPSVFNUvaOlinQ';
/** A check that needs one scope and makes one signed call. */
const SECRET_CHECK = `export const secret = {
  id: 'test.secret', description: 'reads a task', scopes: 'queue:get-task:x', retry: { retries: 0 },
  async run(ctx) { await ctx.tc.queue.task('${TASK_ID}'); },
};
`;
const CREDENTIALS = { TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: 'an-access-token-never-shown-0123' };
const HOUR_MS = 3_600_000;

let deployment: FakeDeployment;
let serve: CliProcess | undefined;
afterEach(async () => {
  if (serve) {
    serve.child.kill('SIGTERM');
    await serve.exited;
    serve = undefined;
  }
  await deployment.close();
});

async function startServe(dir: string): Promise<string> {
  serve = startCli(['serve', '--listen', '127.0.0.1:0', '--root-url', deployment.rootUrl], { cwd: dir, env: CREDENTIALS });
  await serve.waitForOutput(/serving \d+ checks? of .* at http:\/\/127\.0\.0\.1:\d+/);
  return /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())![1]!;
}

const getJson = async (url: string) => {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  return { status: response.status, body: await response.json() };
};

describe('a preflight that cannot read the scopes', () => {
  const refuse = () => deployment.set('/api/auth/v1/scopes/current', {
    status: 403, body: { code: 'InsufficientScopes', message: 'Client ID tester does not have sufficient scopes and is missing the following scopes:\n\n```\nauth:current-scopes\n```' },
  });

  it('says so on the console and in the JSON report, and the checks run without it', async () => {
    deployment = await FakeDeployment.start();
    refuse();
    deployment.set(`/api/queue/v1/task/${TASK_ID}`, { status: 200, body: {} });
    const dir = projectDir('services: [queue]\nchecksDir: ./checks\n', { 'secret.js': SECRET_CHECK });
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'test.secret', '--json', 'r.json'], { cwd: dir, env: CREDENTIALS });
    expect(stdout).toContain("preflight: cannot read the client's scopes (auth.currentScopes() was refused (403): the client lacks auth:current-scopes (tc-canary scopes lists it)): checks run without a preflight");
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.preflight).toEqual({ scopes: 'unreadable', scopesProblem: 'auth.currentScopes() was refused (403): the client lacks auth:current-scopes (tc-canary scopes lists it)', serverClockOffsetMs: 0 });
    // Blind, the check ran (and here passed) rather than being skipped.
    expect(report.checks[0].outcome).toBe('passed');
    expect(code).toBe(0);
  });

  it('makes serve\'s /__heartbeat__ a warning and sets the preflight metric to 0', async () => {
    deployment = await FakeDeployment.start();
    refuse();
    const dir = projectDir('services: [queue]\nchecks:\n  include: [ping.queue]\n  schedules:\n    ping.queue: "*/1 * * * * *"\nhistory: sqlite:h.db\n');
    const base = await startServe(dir);
    await serve!.waitForOutput(/PASS\s+ping\.queue/);
    const heartbeat = await getJson(`${base}/__heartbeat__`);
    expect(heartbeat.status).toBe(200);
    expect(heartbeat.body.status).toBe('warning');
    expect(heartbeat.body.checks.preflight).toBe('warning');
    expect(heartbeat.body.details.preflight).toMatchObject({ scopes: 'unreadable', problem: expect.stringContaining('lacks auth:current-scopes'), checks: 'run without a preflight' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^tc_canary_preflight_scopes_readable 0$/m);
    // Said once in the log, not at every firing.
    expect(serve!.stdout().match(/preflight: cannot read the client's scopes \(auth\.currentScopes\(\) was refused \(403\)/g)).toHaveLength(1);
  });

  it('reads ok with the scopes readable', async () => {
    deployment = await FakeDeployment.start();
    const dir = projectDir('services: [queue]\nchecks:\n  include: [ping.queue]\n  schedules:\n    ping.queue: "*/1 * * * * *"\nhistory: sqlite:h.db\n');
    const base = await startServe(dir);
    await serve!.waitForOutput(/PASS\s+ping\.queue/);
    const heartbeat = await getJson(`${base}/__heartbeat__`);
    expect(heartbeat.body.checks.preflight).toBe('ok');
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^tc_canary_preflight_scopes_readable 1$/m);
  });
});

describe('a check skipped for missing scopes', () => {
  const revoke = () => deployment.set('/api/auth/v1/scopes/current', { status: 200, body: { scopes: ['queue:ping'] } });
  const config = (include: string) => `services: [queue]\nchecksDir: ./checks\nhistory: sqlite:h.db\nchecks:\n  include: [${include}]\n  schedules:\n    "test.*": "*/1 * * * * *"\n`;

  it('is down in serve, as misconfigured, once it ran before: a revoked scope does not turn monitoring green', async () => {
    deployment = await FakeDeployment.start();
    deployment.set(`/api/queue/v1/task/${TASK_ID}`, { status: 200, body: {} });
    const dir = projectDir(config('"test.*"'), { 'secret.js': SECRET_CHECK });
    // With the scope: it runs and passes, recorded in the history.
    expect((await runCli(['run', '--root-url', deployment.rootUrl], { cwd: dir, env: CREDENTIALS })).code).toBe(0);
    revoke();
    const base = await startServe(dir);
    await serve!.waitForOutput(/ERROR\s+test\.secret/);
    const status = await getJson(`${base}/status.json`);
    expect(status.status).toBe(503);
    expect(status.body.status).toBe('failing');
    const check = await getJson(`${base}/checks/test.secret`);
    expect(check.status).toBe(503);
    expect(check.body).toMatchObject({ health: 'down', success: false, outcome: 'error', lastError: { kind: 'misconfigured', message: 'missing scopes: queue:get-task:x (it ran before: it counts as down until the client holds them)' } });
  });

  it('is down when the config names it, even with no history', async () => {
    deployment = await FakeDeployment.start();
    revoke();
    const dir = projectDir(config('test.secret'), { 'secret.js': SECRET_CHECK });
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--json', '-'], { cwd: dir, env: CREDENTIALS });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).checks[0]).toMatchObject({ outcome: 'error', error: { kind: 'misconfigured', message: expect.stringMatching(/^missing scopes: queue:get-task:x \(the config names it/) } });
  });

  it('stays skipped when only a pattern selects it and it never ran', async () => {
    deployment = await FakeDeployment.start();
    revoke();
    const dir = projectDir(config('"test.*"'), { 'secret.js': SECRET_CHECK });
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--json', '-'], { cwd: dir, env: CREDENTIALS });
    expect(JSON.parse(stdout).checks[0]).toMatchObject({ outcome: 'skipped', skipReason: 'missing scopes: queue:get-task:x' });
    expect(code).toBe(0);
  });
});

describe('a clock 2 h ahead of the deployment', () => {
  it('signs with the deployment\'s time, so signed calls pass, and stamps and shows the offset', async () => {
    deployment = await FakeDeployment.start({ clockOffsetMs: -2 * HOUR_MS, checkHawkTimestamps: true });
    deployment.set(`/api/queue/v1/task/${TASK_ID}`, { status: 200, body: {} });
    const dir = projectDir('services: [queue]\nchecksDir: ./checks\n', { 'secret.js': SECRET_CHECK });
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'test.secret', '--check', 'ping.queue', '--json', 'r.json', '--junit', 'j.xml'], { cwd: dir, env: CREDENTIALS });
    expect(stdout).toContain("preflight: local clock is 2h 0m ahead of the deployment: requests are signed and results stamped with the deployment's time");
    expect(stdout).not.toMatch(/Stale timestamp/);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    // The scopes were read (the signed preflight call passed too) and the offset is the deployment's, to the second.
    expect(report.preflight.scopes).toBe('read');
    expect(Math.abs(report.preflight.serverClockOffsetMs + 2 * HOUR_MS)).toBeLessThan(2_000);
    for (const stamp of [report.startedAt, report.finishedAt, ...report.checks.map((c: { startedAt: string }) => c.startedAt)]) {
      expect(Math.abs(Date.parse(stamp) - deployment.now())).toBeLessThan(60_000);
    }
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toMatch(/name="preflight.serverClockOffsetMs" value="-7\d{6}"/);
  });

  it('is refused by the loopback deployment when a stamp is 15 min off, as Taskcluster refuses it', async () => {
    deployment = await FakeDeployment.start({ checkHawkTimestamps: true });
    deployment.set(`/api/queue/v1/task/${TASK_ID}`, { status: 200, body: {} });
    const stamped = (offsetMs: number) => fetch(`${deployment.rootUrl}/api/queue/v1/task/${TASK_ID}`, {
      headers: { authorization: `Hawk id="tester", ts="${Math.floor((Date.now() + offsetMs) / 1000)}", nonce="n", mac="m"` },
    });
    expect((await stamped(14 * 60_000)).status).toBe(200);
    const stale = await stamped(2 * HOUR_MS);
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ code: 'AuthenticationFailed', message: 'Unauthorized: Stale timestamp' });
  });
});
