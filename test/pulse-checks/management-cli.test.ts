// The built CLI with pulse.managementUrl from a ${VAR}: the management checks run against the real test broker,
// and the management password appears nowhere: not on standard output or error, not in the JSON or JUnit
// report, not in the history file; neither the right one nor a wrong one.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/check/result.js';
import { projectDir, runCli } from '../support/cli-process.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { missingService, services } from '../support/services.js';
import { VHOST } from '../pulse/broker.js';
import { TestQueues, untilBrokerShows } from '../pulse/management-broker.js';

const WRONG_PASSWORD = 'wrong-management-password-51c0e9';

describe.skipIf(missingService('managementUrl'))('tc-canary run --check pulse.* with the management API', () => {
  let deployment: FakeDeployment;
  let queues: TestQueues;
  let backlog: string;

  beforeAll(async () => {
    deployment = await FakeDeployment.start();
    deployment.set('/api/auth/v1/scopes/current', { status: 200, body: { scopes: ['*'] } });
    queues = await TestQueues.open();
    backlog = await queues.declare('cli-backlog');
    await queues.publish(backlog, 10);
    await untilBrokerShows(backlog, { messages: 10, consumers: 0 });
  });
  afterAll(async () => {
    await deployment?.close();
    await queues?.close();
  });

  async function runWith(managementUrl: string) {
    const dir = projectDir(`pulse:\n  managementUrl: \${PULSE_MANAGEMENT_URL}\n  queues:\n    - pattern: ${queues.prefix}/cli-*\n      name: cli\n      vhost: ${VHOST}\n      maxMessages: 5\n`);
    const [json, junit] = [path.join(dir, 'report.json'), path.join(dir, 'junit.xml')];
    const { code, stdout, stderr } = await runCli(['run', '--check', 'pulse.*', '--root-url', deployment.rootUrl, '--json', json, '--junit', junit], {
      cwd: dir,
      env: { PULSE_MANAGEMENT_URL: managementUrl, TASKCLUSTER_CLIENT_ID: 'tc-canary-test', TASKCLUSTER_ACCESS_TOKEN: 'access-token-for-the-cli-test' },
    });
    const history = readdirSync(dir).filter((name) => name.startsWith('tc-canary.db')).map((name) => readFileSync(path.join(dir, name)).toString('latin1')).join('');
    expect(history.length, 'the run is recorded in the history').toBeGreaterThan(0);
    const outputs = { stdout, stderr, json: readFileSync(json, 'utf8'), junit: readFileSync(junit, 'utf8'), history };
    return { code, outputs, run: JSON.parse(outputs.json) as RunResult };
  }

  it('runs the broker and queue checks, and the password appears in no output', async () => {
    const password = new URL(services.managementUrl!).password;
    const { code, outputs, run } = await runWith(services.managementUrl!);

    for (const [name, output] of Object.entries(outputs)) expect(output, name).not.toContain(password);
    expect(code, `${outputs.stdout}\n${outputs.stderr}`).toBe(1);
    expect(Object.fromEntries(run.checks.map((check) => [check.id, check.outcome]))).toEqual({
      'pulse.broker': 'passed',
      'pulse.notify-roundtrip': 'skipped',
      'pulse.queue.cli': 'failed',
      'pulse.task-events': 'skipped',
    });
    const queue = run.checks.find((check) => check.id === 'pulse.queue.cli')!;
    expect(queue.error!.message).toBe(`queue "${backlog}" holds 10 messages (limit 5; publishing ${queue.metrics[`${backlog}.publish_rate`]!.value}/s, delivering 0/s); queue "${backlog}" has 0 consumers (at least 1 expected)`);
    expect(run.checks.find((check) => check.id === 'pulse.task-events')!.skipReason).toBe('no Pulse configured (set pulse.url in the config or PULSE_URL)');
  });

  it('says the login was refused for a wrong password, and shows it nowhere', async () => {
    const wrong = new URL(services.managementUrl!);
    wrong.password = WRONG_PASSWORD;
    const { code, outputs, run } = await runWith(wrong.href);

    for (const [name, output] of Object.entries(outputs)) expect(output, name).not.toContain(WRONG_PASSWORD);
    expect(code).toBe(1);
    const base = `${wrong.protocol}//${wrong.username}:***@${wrong.host}/`;
    for (const id of ['pulse.broker', 'pulse.queue.cli']) {
      const check = run.checks.find((result) => result.id === id)!;
      expect(check.outcome, id).toBe('error');
      expect(check.error!.message).toBe(`the management API at ${base} refused the login of user "${wrong.username}": wrong user or password (401 Login failed)`);
    }
    expect(outputs.stdout).toContain('refused the login of user "canary-monitoring"');
  });
});
