// `tc-canary run` as a user runs it: the built CLI spawned against a loopback deployment.

import { XMLParser } from 'fast-xml-parser';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';
import { schemaErrors } from '../report/schema.js';

const TOKEN = 'tok3n-that-must-never-be-shown-9f8e7d';
const PULSE_PASSWORD = 'pulse-pw-never-shown-1234';
const CONFIG_SECRET = 'config-secret-never-shown-5678';

let deployment: FakeDeployment;
beforeEach(async () => { deployment = await FakeDeployment.start(); });
afterEach(async () => { await deployment.close(); });

function parseJunit(file: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(file, 'utf8'));
}

describe('tc-canary run', () => {
  it('pings every configured service, records the deployment version, writes JSON and JUnit, exits 0', async () => {
    const dir = projectDir('services: [queue, auth, index]\n');
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'ping.*', '--check', 'deployment.version', '--json', 'out/report.json', '--junit', 'out/junit.xml'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/tc-canary PASSED: 4 passed/);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    expect(schemaErrors(report)).toEqual([]);
    expect(report.deployment.version).toBe('74.0.0');
    expect(report.checks.map((c: { id: string }) => c.id).sort()).toEqual(['deployment.version', 'ping.auth', 'ping.index', 'ping.queue']);
    const junit = parseJunit(path.join(dir, 'out/junit.xml'));
    expect(junit.testsuites.testsuite).toMatchObject({ tests: '4', failures: '0', errors: '0', skipped: '0' });
  });

  it('writes the JSON report to standard output with --json -, keeping people\'s output on standard error', async () => {
    const dir = projectDir('services: [queue]\n');
    const { code, stdout, stderr } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'ping.queue', '--json', '-'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).checks[0].id).toBe('ping.queue');
    expect(stderr).toContain('PASS  ping.queue');
  });

  it('fails a service answering 500 with its URL and status in every report, exit 1', async () => {
    deployment.set('/api/queue/v1/ping', { status: 500, body: { code: 'InternalServerError', message: 'boom' } });
    const dir = projectDir('services: [queue, auth]\nchecks:\n  params:\n    ping.queue: { timeout: 2s }\n');
    const { code, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'ping.*', '--json', 'r.json', '--junit', 'j.xml'], { cwd: dir });
    expect(code).toBe(1);
    const url = `${deployment.rootUrl}/api/queue/v1/ping`;
    expect(stdout).toContain(`ERROR ping.queue`);
    expect(stdout).toContain(`GET ${url} answered 500`);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.outcome).toBe('failed');
    expect(report.checks.find((c: { id: string }) => c.id === 'ping.queue').error).toMatchObject({ statusCode: 500, url });
    expect(report.checks.find((c: { id: string }) => c.id === 'ping.auth').outcome).toBe('passed');
    const junitText = readFileSync(path.join(dir, 'j.xml'), 'utf8');
    expect(junitText).toContain(url);
    expect(parseJunit(path.join(dir, 'j.xml')).testsuites.testsuite).toMatchObject({ tests: '2', errors: '1' });
  });

  it('exits 2 naming every config problem: an unknown key and a wrong type', async () => {
    const dir = projectDir('servces: [queue]\nconcurrency: lots\n');
    const { code, stderr, stdout } = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('tc-canary.yml: 2 problems');
    expect(stderr).toContain('servces: unknown key (did you mean services?)');
    expect(stderr).toContain('concurrency: expected a whole number, got "lots"');
    expect(stdout).toBe('');
    expect(deployment.requests).toEqual([]);
  });

  it('exits 2 on a --check pattern that matches nothing, and on unknown options', async () => {
    const dir = projectDir('');
    const pattern = await runCli(['run', '--root-url', deployment.rootUrl, '--check', 'pnig.*'], { cwd: dir });
    expect(pattern.code).toBe(2);
    expect(pattern.stderr).toContain('--check: "pnig.*" matches no check (see tc-canary list)');
    const option = await runCli(['run', '--bogus'], { cwd: dir });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--bogus'");
  });

  it('config check exits 0 for a valid config and 2 listing every problem', async () => {
    const valid = await runCli(['config', 'check'], { cwd: projectDir('services: [queue]\n') });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/tc-canary\.yml: valid, \d+ checks/);
    const invalid = await runCli(['config', 'check'], { cwd: projectDir('checks:\n  params:\n    ping.queue:\n      timeout: fast\n') });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('checks.params.ping.queue.timeout: expected a duration like 30s, got "fast"');
  });

  it('never shows a credential, a Pulse password or a ${VAR} secret: not on the console, in JSON, JUnit or history', async () => {
    // The deployment echoes every secret back in its answers, as a misbehaving proxy might.
    const echo = { status: 200, body: { alive: false, token: TOKEN, pulse: PULSE_PASSWORD, secret: CONFIG_SECRET } };
    deployment.set('/api/queue/v1/ping', echo);
    deployment.set('/api/auth/v1/ping', { status: 503, body: { message: `upstream said ${TOKEN} ${CONFIG_SECRET}` } });
    const dir = projectDir(`services: [queue, auth]
rootUrl: ${deployment.rootUrl}
history: sqlite:\${HISTORY_FILE}
checks:
  params:
    ping.auth: { timeout: 2s }
`);
    const env = {
      TASKCLUSTER_CLIENT_ID: 'tester',
      TASKCLUSTER_ACCESS_TOKEN: TOKEN,
      PULSE_URL: `amqp://canary:${PULSE_PASSWORD}@127.0.0.1:1/vhost`,
      HISTORY_FILE: `history-${CONFIG_SECRET}.db`,
    };
    const { code, stdout, stderr } = await runCli(['run', '--check', 'ping.*', '--json', 'r.json', '--junit', 'j.xml'], { cwd: dir, env });
    expect(code).toBe(1);
    const outputs: Record<string, string> = {
      stdout, stderr,
      json: readFileSync(path.join(dir, 'r.json'), 'utf8'),
      junit: readFileSync(path.join(dir, 'j.xml'), 'utf8'),
    };
    const databases = readdirSync(dir).filter((name) => name.startsWith('history-'));
    expect(databases).toHaveLength(1);
    outputs.history = readFileSync(path.join(dir, databases[0]!)).toString('latin1');
    expect(outputs.json).toContain('***');
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of [TOKEN, PULSE_PASSWORD, CONFIG_SECRET]) {
        expect(text.includes(secret), `${where} shows ${secret}`).toBe(false);
      }
    }
  });
});
