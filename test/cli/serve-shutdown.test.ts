// `tc-canary serve` as a process, stopped while an alert is still being delivered: to a notify service that
// always fails (the delivery is between retries) and to one that never answers (an attempt is in flight).
// Either way the process exits 0 within --shutdown-timeout, logs the message it gave up, and tries no more.
// So it does when a check's cleanup never ends: it names the check it stopped waiting for.

import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDeployment, type FakeAnswer } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli, type CliProcess } from '../support/cli-process.js';

const ROUTING_KEY = 'project.tc-canary.alerts';
const NOTIFY = '/api/notify/v1/pulse';
const SHUTDOWN_TIMEOUT_MS = 3_000;
/** Process start-up of the exit itself on a busy machine; far below a retry delay or the notify's 30 s timeout. */
const EXIT_SLACK_MS = 1_500;

let deployment: FakeDeployment;
const dirs: string[] = [];
const processes: CliProcess[] = [];

beforeAll(async () => {
  deployment = await FakeDeployment.start();
  deployment.set('/api/queue/v1/ping', { status: 500, body: { code: 'InternalServerError', message: 'the queue is down' } });
});
afterAll(async () => {
  await deployment.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const cli of processes.splice(0)) cli.child.kill('SIGKILL');
});

function project(): string {
  const dir = projectDir([
    `rootUrl: ${deployment.rootUrl}`,
    'services: [queue]',
    'checks:',
    "  include: ['ping.queue']",
    '  schedules:',
    "    'ping.queue': '*/5 * * * * *'",
    'history: sqlite:history.db',
    'alerts:',
    '  failureThreshold: 1',
    '  routes:',
    "    - checks: 'ping.*'",
    '      notify:',
    `        - pulse: {routingKey: ${ROUTING_KEY}}`,
    '',
  ].join('\n'));
  dirs.push(dir);
  return dir;
}

const notifyCalls = () => deployment.requests.filter((request) => request.path === NOTIFY).length;

async function stopDuringDelivery(notify: FakeAnswer, deliveryUnderWay: RegExp | (() => boolean)): Promise<{ cli: CliProcess; elapsedMs: number }> {
  deployment.set(NOTIFY, notify);
  const cli = startCli(['serve', '--listen', '127.0.0.1:0', '--shutdown-timeout', `${SHUTDOWN_TIMEOUT_MS / 1000}s`], {
    cwd: project(), env: { TASKCLUSTER_CLIENT_ID: 'tc-canary-test', TASKCLUSTER_ACCESS_TOKEN: 'serve-shutdown-token' },
  });
  processes.push(cli);
  if (deliveryUnderWay instanceof RegExp) await cli.waitForOutput(deliveryUnderWay);
  else {
    await cli.waitForOutput(/serving 1 checks/);
    const deadline = Date.now() + 20_000;
    while (!deliveryUnderWay()) {
      if (Date.now() > deadline) throw new Error(`no delivery began; stdout:\n${cli.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const signalledAt = Date.now();
  cli.child.kill('SIGTERM');
  const code = await cli.exited;
  const elapsedMs = Date.now() - signalledAt;
  expect(code).toBe(0);
  return { cli, elapsedMs };
}

describe('tc-canary serve stopped while an alert is being delivered', () => {
  it('to a notify that always fails: exits within the shutdown timeout, says it gave the message up, and retries no more', async () => {
    const { cli, elapsedMs } = await stopDuringDelivery(
      { status: 503, body: { code: 'ServiceUnavailable', message: 'notify is deploying' } },
      /alert firing ping\.queue to route 0 pulse .*: attempt 1 failed .*retrying/,
    );
    expect(elapsedMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(cli.stdout()).toMatch(/alert firing ping\.queue NOT sent to route 0 pulse project\.tc-canary\.alerts after \d+ attempts?: given up: the service stopped/);
    expect(cli.stdout()).toMatch(/gave up 1 alert message\(s\) still being sent: the shutdown timeout \(3s\) passed/);
    expect(cli.stdout()).toMatch(/stopped\n$/);
    // Nothing kept trying behind the exit (the process is gone, and with it every timer).
    const calls = notifyCalls();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(notifyCalls()).toBe(calls);
  }, 60_000);

  it('to a notify that never answers: exits within the shutdown timeout though the request is still open', async () => {
    const before = notifyCalls();
    const { cli, elapsedMs } = await stopDuringDelivery({ status: 200, body: {}, delayMs: 600_000 }, () => notifyCalls() > before);
    expect(elapsedMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(cli.stdout()).toMatch(/alert firing ping\.queue NOT sent to route 0 pulse project\.tc-canary\.alerts after 1 attempt: given up: the service stopped/);
    expect(cli.stdout()).toMatch(/stopped\n$/);
  }, 60_000);

  it('with a check whose cleanup never ends: exits within the shutdown timeout, naming the check', async () => {
    const dir = projectDir([
      `rootUrl: ${deployment.rootUrl}`,
      'checksDir: ./checks',
      'checks:',
      "  include: ['test.*']",
      'history: sqlite:history.db',
      '',
    ].join('\n'), {
      'stuck.mjs': `export const stuck = {
  id: 'test.stuck-cleanup', description: 'its cleanup hangs', schedule: '* * * * * *', timeout: '60s', retry: { retries: 0 },
  async run(ctx) {
    ctx.defer('hang', () => new Promise(() => setInterval(() => {}, 1000)));
    console.log('stuck check running');
    await ctx.sleep(60000);
  },
};\n`,
    });
    dirs.push(dir);
    const cli = startCli(['serve', '--listen', '127.0.0.1:0', '--shutdown-timeout', `${SHUTDOWN_TIMEOUT_MS / 1000}s`], { cwd: dir });
    processes.push(cli);
    await cli.waitForOutput(/stuck check running/);
    const signalledAt = Date.now();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(cli.stdout()).toMatch(/gave up waiting for test\.stuck-cleanup to clean up: the shutdown timeout \(3s\) passed/);
    expect(cli.stdout()).toMatch(/stopped\n$/);
  }, 60_000);

  it('gives stopping 30 s by default, Kubernetes\' default grace period', async () => {
    const help = await runCli(['serve', '--help'], { cwd: project() });
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--shutdown-timeout <duration> .* \(default: "30s"\)/);
  });
});
