// `tc-canary serve` as a process: graceful SIGTERM, and kill -9 leaving an aborted run that the next start
// and `tc-canary history` report.

import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli, type CliProcess } from '../support/cli-process.js';

let deployment: FakeDeployment;
const dirs: string[] = [];
const processes: CliProcess[] = [];

beforeAll(async () => {
  deployment = await FakeDeployment.start();
});
afterAll(async () => {
  await deployment.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const cli of processes.splice(0)) cli.child.kill('SIGKILL');
});

/** test.slow marks its start, waits up to 30 s (or until aborted), and its cleanup marks that it ran. */
const SLOW_CHECK = `
import { writeFileSync } from 'node:fs';
export const slow = {
  id: 'test.slow',
  description: 'takes long; cleans up',
  schedule: '*/2 * * * * *',
  timeout: '60s',
  retry: { retries: 0 },
  async run(ctx) {
    writeFileSync(new URL('../started', import.meta.url), ctx.nonce);
    ctx.defer('mark cleanup', async () => writeFileSync(new URL('../cleaned-up', import.meta.url), ctx.nonce));
    await ctx.sleep(30000);
  },
};
export const quick = {
  id: 'test.quick', description: 'passes at once', schedule: '* * * * * *',
  async run(ctx) { ctx.metric('response_ms', 3, { unit: 'ms' }); },
};
`;

function project(): string {
  const dir = projectDir([
    `rootUrl: ${deployment.rootUrl}`,
    'services: [queue]',
    'checksDir: ./checks',
    'checks:',
    "  include: ['test.*']",
    'history: sqlite:history.db',
    '',
  ].join('\n'), { 'slow.mjs': SLOW_CHECK });
  dirs.push(dir);
  return dir;
}

function serve(dir: string): CliProcess {
  const cli = startCli(['serve', '--listen', '127.0.0.1:0', '--shutdown-timeout', '10s'], { cwd: dir });
  processes.push(cli);
  return cli;
}

const waitForFile = async (file: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('tc-canary serve', () => {
  it('on SIGTERM stops scheduling, lets the running check clean up, records it, and exits 0', async () => {
    const dir = project();
    const cli = serve(dir);
    await cli.waitForOutput(/serving 2 checks of .* at http:\/\/127\.0\.0\.1:\d+/);
    await waitForFile(path.join(dir, 'started'));
    await cli.waitForOutput(/PASS\s+test\.quick/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(path.join(dir, 'cleaned-up'))).toBe(true);
    expect(cli.stdout()).toMatch(/stopped\n$/);

    // The interrupted check was recorded (not aborted: the service ended its run properly).
    const history = await runCli(['history', '--json'], { cwd: dir });
    expect(history.code).toBe(0);
    const summary = JSON.parse(history.stdout);
    expect(summary.runs.aborted).toBe(0);
    const slow = summary.checks.find((check: { checkId: string }) => check.checkId === 'test.slow');
    expect(slow.counts.error + slow.counts.failed).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('killed with -9 mid-check, leaves a run that the next start marks aborted, and history reports it', async () => {
    const dir = project();
    const first = serve(dir);
    await waitForFile(path.join(dir, 'started'));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = serve(dir);
    await second.waitForOutput(/serving 2 checks/);
    const table = await runCli(['history'], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/aborted: [1-9]/);
    expect(table.stdout).toMatch(/last aborted: run \S+ started .*: (aborted: )?its process \(pid \d+ on .*\) ended before the run finished/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('exits 2 naming the problem when --listen is not HOST:PORT', async () => {
    const dir = project();
    const result = await runCli(['serve', '--listen', 'nowhere'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--listen: expected HOST:PORT/);
  });
});
