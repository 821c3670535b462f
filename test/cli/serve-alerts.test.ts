// `tc-canary serve` as a process, against a fake deployment on loopback whose queue can be broken and fixed:
// one alert through notify and a webhook after the failure threshold, one recovery after the fix, nothing
// more; restarted with a maintenance window covering the check, the failures are recorded but muted,
// /status.json says "maintenance" with the reason (200), and the dashboard lists the check as such.
// No credential and no webhook URL appear in any output.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/deployment.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli, type CliProcess } from '../support/cli-process.js';

const ACCESS_TOKEN = 'serve-alerts-access-token-Q7zK';
const WEBHOOK_TOKEN = 'hook-token-W4xP';
const ROUTING_KEY = 'project.tc-canary.alerts';
const REASON = 'queue database upgrade (OPS-42)';
const PING = '/api/queue/v1/ping';

/** A loopback webhook receiver keeping every body it is sent. */
class Webhook {
  readonly bodies: Array<{ kind: string; checkId: string }> = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<Webhook> {
    let webhook: Webhook | undefined;
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      request.on('end', () => {
        webhook!.bodies.push(JSON.parse(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhook = new Webhook(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return webhook;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let deployment: FakeDeployment;
let webhook: Webhook;
let queueBroken = false;
const dirs: string[] = [];
const processes: CliProcess[] = [];

beforeAll(async () => {
  [deployment, webhook] = await Promise.all([FakeDeployment.start(), Webhook.start()]);
  deployment.set(PING, () => (queueBroken
    ? { status: 500, body: { code: 'InternalServerError', message: 'the queue is down' } }
    : { status: 200, body: fixture('ping.json').queue }));
});
afterAll(async () => {
  await Promise.all([deployment?.close(), webhook?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const cli of processes.splice(0)) cli.child.kill('SIGKILL');
});

function config(extra: string[] = []): string {
  return [
    `rootUrl: ${deployment.rootUrl}`,
    'services: [queue]',
    'checks:',
    "  include: ['ping.queue']",
    '  schedules:',
    "    'ping.queue': '* * * * * *'",
    'history: sqlite:history.db',
    'alerts:',
    '  failureThreshold: 2',
    '  routes:',
    "    - checks: 'ping.*'",
    '      notify:',
    `        - pulse: {routingKey: ${ROUTING_KEY}}`,
    "        - webhook: {url: '${TC_CANARY_TEST_WEBHOOK}'}",
    ...extra,
    '',
  ].join('\n');
}

/** A one-off window, in UTC, that began a minute ago and lasts an hour. */
function maintenanceNow(): string[] {
  const start = new Date(Date.now() - 60_000).toISOString().slice(0, 16).replace('T', ' ');
  return ['maintenance:', "  - checks: 'ping.*'", `    start: '${start}'`, '    duration: 1h', '    timezone: UTC', `    reason: '${REASON}'`];
}

const env = {
  TASKCLUSTER_CLIENT_ID: 'tc-canary-test',
  TASKCLUSTER_ACCESS_TOKEN: ACCESS_TOKEN,
  TC_CANARY_TEST_WEBHOOK: '',
};

async function serve(dir: string): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['serve', '--listen', '127.0.0.1:0', '--shutdown-timeout', '10s'], {
    cwd: dir, env: { ...env, TC_CANARY_TEST_WEBHOOK: `${webhook.url}/hooks/${WEBHOOK_TOKEN}` },
  });
  processes.push(cli);
  await cli.waitForOutput(/serving 1 checks of .* at (http:\/\/127\.0\.0\.1:\d+)/);
  return { cli, url: /at (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())![1]! };
}

/** Resolves once `count` more lines match after what the process has already said. */
async function moreLines(cli: CliProcess, pattern: RegExp, count: number): Promise<void> {
  const seen = () => cli.stdout().split('\n').filter((line) => pattern.test(line)).length;
  const target = seen() + count;
  const deadline = Date.now() + 20_000;
  while (seen() < target) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} more lines matching ${pattern}; stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}

const kinds = () => webhook.bodies.map((body) => body.kind);
const notifiedKinds = () => deployment.notifications().map((call) => (call.body as { message: { kind: string } }).message.kind);
const ERRORED = /ERROR\s+ping\.queue/;
const PASSED = /PASS\s+ping\.queue/;

describe('tc-canary serve with alerts and maintenance windows', () => {
  it('alerts once after the threshold, recovers once, and stays quiet inside a maintenance window that /status.json and the dashboard show', async () => {
    const dir = projectDir(config());
    dirs.push(dir);
    const outputs: string[] = [];

    // Broken: the second failure in a row sends one alert per destination, the ones after it nothing.
    queueBroken = true;
    const first = await serve(dir);
    await first.cli.waitForOutput(/alert firing ping\.queue sent to .*webhook/);
    await first.cli.waitForOutput(/alert firing ping\.queue sent to .*pulse/);
    await moreLines(first.cli, ERRORED, 1);
    expect(kinds()).toEqual(['firing']);
    expect(notifiedKinds()).toEqual(['firing']);
    const [notify] = deployment.notifications();
    expect(notify).toMatchObject({ path: '/api/notify/v1/pulse', authorizedScopes: [`notify:pulse:${ROUTING_KEY}`] });
    expect(notify!.body).toMatchObject({ routingKey: ROUTING_KEY, message: { kind: 'firing', checkId: 'ping.queue', consecutiveFailures: 2, outcome: 'error' } });
    expect(webhook.bodies[0]).toMatchObject({ kind: 'firing', checkId: 'ping.queue', rootUrl: deployment.rootUrl });

    // Fixed: the first pass sends one recovery per destination, the passes after it nothing.
    queueBroken = false;
    await first.cli.waitForOutput(/alert recovered ping\.queue sent to .*webhook/);
    await first.cli.waitForOutput(/alert recovered ping\.queue sent to .*pulse/);
    await moreLines(first.cli, PASSED, 1);
    expect(kinds()).toEqual(['firing', 'recovered']);
    expect(notifiedKinds()).toEqual(['firing', 'recovered']);
    await stop(first.cli);
    outputs.push(first.cli.stdout(), first.cli.stderr());

    // Restarted with a window covering the check, and broken again: recorded, shown, muted.
    writeFileSync(path.join(dir, 'tc-canary.yml'), config(maintenanceNow()));
    queueBroken = true;
    const second = await serve(dir);
    await moreLines(second.cli, ERRORED, 2);
    const status = await fetch(`${second.url}/status.json`);
    expect(status.status).toBe(200);
    const report = await status.json();
    expect(report).toMatchObject({ status: 'ok', success: true, summary: { checks: 1, maintenance: 1, down: 1 } });
    expect(report.checks[0]).toMatchObject({ id: 'ping.queue', success: true, health: 'down', outcome: 'error', maintenance: { reason: REASON } });
    expect(Date.parse(report.checks[0].maintenance.until)).toBeGreaterThan(Date.now());
    // Results recorded their window: counted apart from uptime.
    expect(report.checks[0].uptime['24h'].inMaintenance).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${second.url}/checks/ping.queue`)).status).toBe(200);

    const page = await fetch(`${second.url}/`, { headers: { Accept: 'text/html' } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toMatch(/data-check="ping\.queue" data-outcome="maintenance"/);
    expect(html).toContain(REASON);

    expect(kinds()).toEqual(['firing', 'recovered']);
    expect(notifiedKinds()).toEqual(['firing', 'recovered']);
    await stop(second.cli);
    outputs.push(second.cli.stdout(), second.cli.stderr());

    for (const output of outputs) {
      expect(output).not.toContain(ACCESS_TOKEN);
      expect(output).not.toContain(WEBHOOK_TOKEN);
    }
  }, 90_000);

  it('exits 2 naming the webhook whose ${VAR} is not set', async () => {
    const dir = projectDir(config());
    dirs.push(dir);
    const result = await runCli(['serve', '--listen', '127.0.0.1:0'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/alerts\.routes\.0\.notify\.1\.webhook\.url: environment variable TC_CANARY_TEST_WEBHOOK is not set/);
  });
});
