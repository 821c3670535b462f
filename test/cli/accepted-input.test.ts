// Input that validation used to accept and the code then crashed on (`tc-canary crashed` and a stack, or a
// process that never ended): each is now a usage or config error, exit 2, naming the file or option, the field
// and the reason, and a report that cannot be written is known before any check runs.

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';

let deployment: FakeDeployment;
beforeAll(async () => { deployment = await FakeDeployment.start(); });
afterAll(async () => { await deployment.close(); });

const PING_QUEUE = ['--check', 'ping.queue', '--no-history'];

/** Exit 2 with the config's problems, no crash and no stack. */
function expectConfigError(result: { code: number | NodeJS.Signals; stderr: string }, ...expected: RegExp[]): void {
  expect(result.stderr).not.toMatch(/tc-canary crashed|\n\s+at /);
  expect(result.code).toBe(2);
  for (const pattern of expected) expect(result.stderr).toMatch(pattern);
}

describe('durations are bounded, with the bounds in the message', () => {
  it('refuses a maintenance window lasting 99999999d in config check and run', async () => {
    const dir = projectDir([
      'services: [queue]',
      'maintenance:',
      '  - { checks: "ping.*", start: "2030-01-01 00:00", duration: 99999999d, timezone: UTC, reason: upgrade }',
      '',
    ].join('\n'));
    expectConfigError(await runCli(['config', 'check'], { cwd: dir }), /maintenance\.0\.duration: expected a duration longer than 0 and at most 3650d, got "99999999d"/);
    expectConfigError(await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE], { cwd: dir }), /maintenance\.0\.duration: .*at most 3650d/);
  });

  it('refuses a ping timeout of 0s or 99999999d and a maxResponseTime of 0s, all at once', async () => {
    const dir = projectDir([
      'services: [queue, auth]',
      'checks:',
      '  params:',
      '    ping.queue: { timeout: 0s, maxResponseTime: 0s }',
      '    ping.auth: { timeout: 99999999d }',
      '',
    ].join('\n'));
    expectConfigError(
      await runCli(['run', '--root-url', deployment.rootUrl, '--no-history'], { cwd: dir }),
      /ping\.queue\.timeout: expected a duration from 1s to 1d, got "0s"/,
      /ping\.queue\.maxResponseTime: expected a duration longer than 0/,
      /ping\.auth\.timeout: expected a duration from 1s to 1d, got "99999999d"/,
    );
  });

  it('refuses a check file whose own timeout is out of bounds, naming the file', async () => {
    const dir = projectDir('services: [queue]\nchecksDir: ./checks\n', {
      'never.js': "export const never = { id: 'test.never', description: 'x', timeout: '0s', async run() {} };\n",
    });
    const result = await runCli(['list'], { cwd: dir });
    expectConfigError(result, /never\.js \(export never\) test\.never: timeout: expected a duration from 1s to 1d, got "0s"/);
  });
});

describe('a check with scopes: []', () => {
  const dir = () => projectDir('services: [queue]\nchecksDir: ./checks\nchecks:\n  include: [test.open]\n', {
    'open.js': "export const open = { id: 'test.open', description: 'needs no scopes', scopes: [], async run() {} };\n",
  });

  // A list is no scope expression: the catalogue says so, naming the file, where list, scopes and serve crashed.
  it.each([['list'], ['scopes'], ['run', '--no-history'], ['serve', '--listen', '127.0.0.1:0']])('is a config error naming the file in %s', async (...args) => {
    const result = await runCli([...args, ...(args[0] === 'run' || args[0] === 'serve' ? ['--root-url', deployment.rootUrl] : [])], { cwd: dir() });
    expectConfigError(result, /open\.js \(export open\) test\.open: scopes: expected a scope expression \(a scope, \{AllOf: \[\.\.\.\]\} or \{AnyOf: \[\.\.\.\]\}\), got \[\]/);
  });
});

describe('report paths are proven writable before the run', () => {
  it('exits 2 at once naming --json when its folder cannot be made (it used to spin forever)', async () => {
    const dir = projectDir('services: [queue]\n');
    const started = Date.now();
    const result = await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE, '--json', '/proc/nonexistent/x.json'], { cwd: dir });
    expectConfigError(result, /--json: cannot write \/proc\/nonexistent\/x\.json: cannot create its folder \/proc\/nonexistent: the system refuses to create it there \(ENOENT\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stdout).not.toContain('ping.queue');
  });

  it('exits 2 naming --junit for a file its folder refuses (/proc/x)', async () => {
    const dir = projectDir('services: [queue]\n');
    const result = await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE, '--junit', '/proc/x'], { cwd: dir });
    expectConfigError(result, /--junit: cannot write \/proc\/x: the system refuses to create it there \(ENOENT\)/);
  });

  it('exits 2 before running when --json or --junit names a folder', async () => {
    const dir = projectDir('services: [queue]\n');
    mkdirSync(path.join(dir, 'out'));
    const json = await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE, '--json', 'out'], { cwd: dir });
    expectConfigError(json, /--json: cannot write out: it is a folder/);
    const junit = await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE, '--junit', 'out'], { cwd: dir });
    expectConfigError(junit, /--junit: cannot write out: it is a folder/);
    expect(junit.stdout).not.toContain('ping.queue');
  });

  it('prints the summary and the reason, not a stack, when the write still fails at the end', async () => {
    // The check replaces the report's folder with a file while the run goes on.
    const dir = projectDir('services: [queue]\nchecksDir: ./checks\n', {
      'saboteur.js': `import { rmSync, writeFileSync } from 'node:fs';
export const saboteur = { id: 'test.saboteur', description: 'x', async run() { rmSync('out', { recursive: true }); writeFileSync('out', 'not a folder'); } };
`,
    });
    const result = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--check', 'test.saboteur', '--json', 'out/r.json', '--junit', 'out/j.xml'], { cwd: dir });
    expect(result.stdout).toMatch(/tc-canary PASSED: 1 passed/);
    expect(result.stderr).toContain('--json: cannot write out/r.json: a part of the path is a file, not a folder; the report is lost');
    expect(result.stderr).toContain('--junit: cannot write out/j.xml: a part of the path is a file, not a folder; the report is lost');
    expectConfigError(result);
  });

  it('leaves no file behind from the check, and writes the report where asked', async () => {
    const dir = projectDir('services: [queue]\n');
    const result = await runCli(['run', '--root-url', deployment.rootUrl, ...PING_QUEUE, '--json', 'deep/er/r.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'deep/er/r.json'), 'utf8')).checks[0].id).toBe('ping.queue');
  });
});

describe('YAML that exhausts the parser is a config error in our words', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');

  it.each([
    ['an alias bomb', bomb, /expands YAML aliases \(\*name\) more than 100 times/],
    ['two documents', 'services: [queue]\n---\nservices: [auth]\n', /holds more than one YAML document/],
    ['5000-deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}\n`, /nests deeper than tc-canary reads \(at most 64 levels\)/],
    ['100-deep nesting', `services: ${'['.repeat(100)}${']'.repeat(100)}\n`, /nests deeper than tc-canary reads \(at most 64 levels\)/],
  ])('%s', async (_name, yaml, expected) => {
    const dir = projectDir(yaml);
    const result = await runCli(['config', 'check'], { cwd: dir });
    expectConfigError(result, expected, /tc-canary\.yml: 1 problem/);
    expect(result.stderr).not.toMatch(/Excessive alias count|parseAllDocuments|call stack/);
  });

  it('refuses a 5 MB config at once, saying the cap', async () => {
    const dir = projectDir(`services: [queue]\n# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const started = Date.now();
    const result = await runCli(['config', 'check'], { cwd: dir });
    expectConfigError(result, /the config file is 5\.0 MB; tc-canary reads config files of at most 1 MB/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('root URLs', () => {
  it('refuses --root-url "" instead of going to the environment\'s URL', async () => {
    const dir = projectDir('services: [queue]\n');
    const before = deployment.requests.length;
    const result = await runCli(['run', '--root-url', '', ...PING_QUEUE], { cwd: dir, env: { TASKCLUSTER_ROOT_URL: deployment.rootUrl } });
    expectConfigError(result, /--root-url: expected an http\(s\) URL, got ""/);
    expect(deployment.requests.length).toBe(before);
  });

  it('reaches a port the Fetch standard blocks like any other, saying it was refused', async () => {
    const dir = projectDir('services: [queue]\n');
    const result = await runCli(['run', '--root-url', 'http://127.0.0.1:1', ...PING_QUEUE, '--json', '-'], { cwd: dir });
    expect(result.code).toBe(1);
    const [check] = JSON.parse(result.stdout).checks;
    expect(check.error.message).toBe('GET http://127.0.0.1:1/api/queue/v1/ping failed: connection refused');
  });
});

describe('config check --deep', () => {
  it('reports unset ${VAR}s, an unopenable history and an unreachable deployment together, exit 2', async () => {
    const dir = projectDir([
      'services: [queue]',
      'rootUrl: http://127.0.0.1:9',
      'history: sqlite:/nonexistent/dir/x.db',
      'pulse: { url: "${UNSET_PULSE_URL}" }',
      'alerts:',
      '  routes:',
      '    - { checks: "*", notify: [{ webhook: { url: "${UNSET_HOOK}" } }] }',
      '',
    ].join('\n'));
    // Structure alone is fine: that is all the default check looks at.
    expect((await runCli(['config', 'check'], { cwd: dir })).code).toBe(0);
    const result = await runCli(['config', 'check', '--deep'], { cwd: dir });
    expectConfigError(
      result,
      /pulse\.url: environment variable UNSET_PULSE_URL is not set/,
      /alerts\.routes\.0\.notify\.0\.webhook\.url: environment variable UNSET_HOOK is not set/,
      /history: cannot open history sqlite:\/nonexistent\/dir\/x\.db/,
      /rootUrl: cannot reach the deployment: GET http:\/\/127\.0\.0\.1:9\/api\/auth\/v1\/ping failed/,
    );
  });

  it('names an unset ${VAR} in rootUrl and history', async () => {
    const dir = projectDir('services: [queue]\nrootUrl: "${UNSET_ROOT}"\nhistory: "sqlite:${UNSET_DIR}/h.db"\n');
    expectConfigError(await runCli(['config', 'check', '--deep'], { cwd: dir }), /rootUrl: environment variable UNSET_ROOT is not set/, /history: environment variable UNSET_DIR is not set/);
  });

  it('passes a config that works here, reaching the deployment, and warns on a window that ended in 2001', async () => {
    const dir = projectDir([
      'services: [queue]',
      `rootUrl: ${deployment.rootUrl}`,
      'history: sqlite:h.db',
      'maintenance:',
      '  - { checks: "ping.*", start: "2001-01-01 00:00", duration: 2h, timezone: UTC, reason: upgrade }',
      '  - { checks: "ping.*", start: "2099-01-01 00:00", duration: 2h, timezone: UTC, reason: later }',
      '',
    ].join('\n'));
    const result = await runCli(['config', 'check', '--deep'], { cwd: dir });
    expect(result.stderr).toBe('warning: maintenance.0: ended 2001-01-01T02:00:00.000Z: a one-off window in the past can never apply\n');
    expect(result.stdout).toMatch(/tc-canary\.yml: valid, \d+ checks; reached history sqlite:h\.db and deployment http:\/\/127\.0\.0\.1:\d+ \(version 74\.0\.0\)/);
    expect(result.code).toBe(0);
  });
});
