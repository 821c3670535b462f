// The published artefact, not the checkout: `npm pack` of the built project, installed globally into an empty
// prefix without dev dependencies (from npm's cache only: this test reaches no registry), then the installed
// `tc-canary` run as a user runs it. This is also what the Dockerfile's runtime stage installs.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli } from '../support/cli-process.js';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as {
  version: string; dependencies: Record<string, string>; devDependencies: Record<string, string>;
};
const run = promisify(execFile);

/** Every file under dir, relative to it. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' });

let work: string;
let installed: string;
let bin: string;
let deployment: FakeDeployment;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tc-canary-packed-'));
  // dist/ is already built (the test command builds before it runs the tests): pack it as it is.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: PROJECT });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const prefix = path.join(work, 'prefix');
  try {
    await run('npm', ['install', '--global', '--prefix', prefix, '--omit=dev', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(work, filename)],
      { cwd: work, timeout: 120_000 });
  } catch (error) {
    throw new Error(`npm install of the packed tarball failed; --offline needs every package in npm's cache (npm ci fills it):\n${(error as { stderr?: string }).stderr ?? error}`);
  }
  installed = path.join(prefix, 'lib', 'node_modules', 'tc-canary');
  bin = path.join(prefix, 'bin', 'tc-canary');
  deployment = await FakeDeployment.start();
}, 180_000);

afterAll(async () => {
  await deployment?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball, installed with npm install -g', () => {
  it('holds no native code and no dev dependency, and every runtime dependency', () => {
    const files = filesUnder(installed);
    expect(files.filter((file) => file.endsWith('.node'))).toEqual([]);
    const packages = new Set(files.flatMap((file) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(file)?.[1] ?? []));
    expect(Object.keys(manifest.devDependencies).filter((name) => packages.has(name))).toEqual([]);
    expect(Object.keys(manifest.dependencies).filter((name) => !packages.has(name))).toEqual([]);
    // Of its own files: what a user runs, and nothing of the checkout's tests, benches or source maps.
    const own = files.filter((file) => !file.startsWith('node_modules/'));
    expect(own).toContain('dist/src/cli/main.js');
    // The tested dependency tree, with each tarball's address: npm installs it without resolving anything.
    expect(own).toContain('npm-shrinkwrap.json');
    expect(own).toContain('dist/vendor/taskcluster-client.cjs');
    expect(own.filter((file) => /^(test|bench|src|dist\/bench)\//.test(file) || file.endsWith('.map'))).toEqual([]);
  });

  it('tc-canary --version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version'], { cwd: work, bin });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('tc-canary list lists the built-in checks', async () => {
    const { code, stdout } = await runCli(['list'], { cwd: work, bin });
    expect(code).toBe(0);
    expect(stdout).toContain('ping.queue');
    expect(stdout).toContain('queue.built-in-succeed');
  });

  it('tc-canary run passes the ping checks against a deployment and records them in its SQLite history', async () => {
    const dir = projectDir(`rootUrl: ${deployment.rootUrl}\nservices: [auth, queue]\n`);
    const { code, stdout, stderr } = await runCli(['run', '--check', 'ping.*', '--json', 'report.json'], { cwd: dir, bin });
    expect(stderr).not.toContain('Warning');
    expect(code).toBe(0);
    expect(stdout).toContain('PASS  ping.auth');
    expect(stdout).toContain('PASS  ping.queue');
    const history = await runCli(['history', 'ping.*', '--json'], { cwd: dir, bin });
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as { checks: { checkId: string }[] }).checks.map((check) => check.checkId).sort()).toEqual(['ping.auth', 'ping.queue']);
  });

  it('tc-canary run signs its calls with the bundled taskcluster-client, which finds hawk in the installation', async () => {
    const dir = projectDir(`rootUrl: ${deployment.rootUrl}\n`);
    const before = deployment.requests.length;
    const { stdout, stderr } = await runCli(['run', '--check', 'queue.built-in-succeed', '--no-history'], {
      cwd: dir, bin, env: { TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: 'token-123456' },
    });
    expect(stderr).not.toContain('Warning');
    // The preflight read the scopes (a signed call); the task itself meets a deployment that plays no queue.
    expect(stdout).not.toContain('cannot read the client\'s scopes');
    expect(deployment.requests.slice(before).map((request) => request.path)).toContain('/api/auth/v1/scopes/current');
  });

  it('tc-canary serve answers /__heartbeat__, and stops on SIGTERM', async () => {
    const dir = projectDir(`rootUrl: ${deployment.rootUrl}\nservices: [queue]\nchecks:\n  include: ['ping.queue']\n`);
    const serve = startCli(['serve', '--listen', '127.0.0.1:0'], { cwd: dir, bin });
    try {
      await serve.waitForOutput(/at http:\/\/127\.0\.0\.1:\d+/);
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())![1]!;
      const response = await fetch(`${url}/__heartbeat__`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toMatchObject({ status: 'ok' });
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
  });
});
