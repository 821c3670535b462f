// The built CLI with a wrong Pulse password: both Pulse checks error with a clear message, the run exits 1,
// and the password appears nowhere: not on standard output or error, not in the JSON report.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/check/result.js';
import { projectDir, runCli } from '../support/cli-process.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { missingService, services } from '../support/services.js';

const WRONG_PASSWORD = 'wrong-pulse-password-9b27c4';

describe.skipIf(missingService('amqpUrl'))('tc-canary run --check pulse.* with a wrong Pulse password', () => {
  let deployment: FakeDeployment;

  beforeAll(async () => {
    deployment = await FakeDeployment.start();
    deployment.set('/api/auth/v1/scopes/current', { status: 200, body: { scopes: ['*'] } });
  });
  afterAll(async () => {
    await deployment?.close();
  });

  it('exits 1, says the login was refused, and never shows the password', async () => {
    const pulseUrl = new URL(services.amqpUrl!);
    pulseUrl.password = WRONG_PASSWORD;
    const dir = projectDir('concurrency: 2\n');
    const json = path.join(dir, 'report.json');

    const { code, stdout, stderr } = await runCli(['run', '--check', 'pulse.*', '--root-url', deployment.rootUrl, '--json', json, '--no-history'], {
      cwd: dir,
      env: { PULSE_URL: pulseUrl.href, TASKCLUSTER_CLIENT_ID: 'tc-canary-test', TASKCLUSTER_ACCESS_TOKEN: 'access-token-for-the-cli-test' },
    });

    const report = readFileSync(json, 'utf8');
    for (const [name, output] of [['stdout', stdout], ['stderr', stderr], ['--json', report]] as const) {
      expect(output, name).not.toContain(WRONG_PASSWORD);
    }
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(1);
    const run = JSON.parse(report) as RunResult;
    expect(run.checks.map((check) => [check.id, check.outcome])).toEqual([['pulse.broker', 'skipped'], ['pulse.notify-roundtrip', 'error'], ['pulse.task-events', 'error']]);
    for (const check of run.checks.filter((result) => result.outcome === 'error')) {
      expect(check.error!.message).toBe(`Pulse at amqp://canary:***@127.0.0.1:${pulseUrl.port}/tc-canary-test refused the login of user "canary": wrong user or password (403 ACCESS_REFUSED)`);
    }
    expect(stdout + stderr).toContain('refused the login of user "canary"');
    // Nothing was sent to the deployment: the checks subscribe before they trigger anything.
    expect(deployment.requests.map((request) => request.path).sort()).toEqual(['/__version__', '/api/auth/v1/scopes/current']);
  });
});
