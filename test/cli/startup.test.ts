// What a process loads before its first request: `--help` and `--version` no command and no command's
// dependency, a run only what its checks use. Seen from inside the spawned CLI: a preload writes out the URL
// of every module it loaded (test/support/module-trace.mjs).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { projectDir, runCli } from '../support/cli-process.js';
import { FakeDeployment } from '../support/fake-deployment.js';

const TRACE_PRELOAD = fileURLToPath(new URL('../support/module-trace.mjs', import.meta.url));
/**
 * What the heavier commands and checks load; none of it is needed to run a ping. (node-cron and
 * taskcluster-lib-scopes are: the catalogue validates every check's schedule and scopes when it loads them.)
 */
const COMMAND_DEPENDENCIES = ['amqplib', 'pg', 'prom-client', 'yaml', 'junit-report-builder'];
/** taskcluster-client, with got and the rest it loads, as the build bundles it (scripts/bundle-taskcluster-client.mjs). */
const TASKCLUSTER_CLIENT_BUNDLE = 'vendor/taskcluster-client.cjs';

interface Loaded {
  code: number | NodeJS.Signals;
  stdout: string;
  stderr: string;
  /** The packages loaded, by name. */
  packages: Set<string>;
  /** The project's own modules loaded, relative to dist/ (e.g. src/cli/main.js, vendor/taskcluster-client.cjs). */
  projectModules: string[];
  /** Node's own modules loaded (e.g. internal/deps/undici/undici). */
  builtins: Set<string>;
}

async function traced(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Loaded> {
  const trace = path.join(mkdtempSync(path.join(tmpdir(), 'tc-canary-trace-')), 'modules.txt');
  const { code, stdout, stderr } = await runCli(args, { cwd, env: { ...env, NODE_OPTIONS: `--import=${TRACE_PRELOAD}`, TC_CANARY_MODULE_TRACE: trace } });
  const urls = readFileSync(trace, 'utf8').split('\n');
  const packages = new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  const projectModules = urls.flatMap((url) => /\/dist\/((?:src|checks|vendor)\/.+)$/.exec(url)?.[1] ?? []);
  const builtins = new Set(urls.flatMap((url) => /^builtin:(.+)$/.exec(url)?.[1] ?? []));
  return { code, stdout, stderr, packages, projectModules, builtins };
}

let deployment: FakeDeployment;
let dir: string;
beforeAll(async () => {
  deployment = await FakeDeployment.start();
  // No tc-canary.yml: a run without a config file does not need the YAML parser either.
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-startup-'));
});
afterAll(async () => { await deployment.close(); });

describe('start-up', () => {
  it.each([['--help'], ['--version'], ['help']])('%s loads commander alone and no command', async (flag) => {
    const loaded = await traced([flag], dir);
    expect(loaded.code).toBe(0);
    expect(loaded.projectModules).toContain('src/cli/main.js');
    expect([...loaded.packages]).toEqual(['commander']);
    expect(loaded.projectModules.filter((module) => module.endsWith('-command.js'))).toEqual([]);
  });

  it('--help lists every command as the command describes itself once loaded', async () => {
    const full = new Command('tc-canary').configureHelp({ helpWidth: 80 });
    for (const entry of Object.values(COMMANDS)) full.addCommand(await entry.load());
    const commandsSection = (help: string) => help.slice(help.indexOf('Commands:'));
    const { stdout } = await traced(['--help'], dir);
    expect(commandsSection(stdout)).toBe(commandsSection(full.helpInformation()));
  });

  it('help <command> shows the loaded command with its options', async () => {
    const { code, stdout, projectModules } = await traced(['help', 'run'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: tc-canary run \[options\]/);
    expect(stdout).toContain('--no-history');
    expect(projectModules).toContain('src/cli/run-command.js');
  });

  it('a run of one ping loads none of what other checks and commands use', async () => {
    const loaded = await traced(['run', '--root-url', deployment.rootUrl, '--check', 'ping.queue', '--no-history'], dir);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('PASS  ping.queue');
    expect(COMMAND_DEPENDENCIES.filter((name) => loaded.packages.has(name))).toEqual([]);
    expect(loaded.projectModules).not.toContain(TASKCLUSTER_CLIENT_BUNDLE);
    expect(loaded.projectModules).not.toContain('src/history/open.js');
    // Its requests go out with node:http: fetch's undici (and its WebAssembly parser) is never loaded.
    expect(loaded.builtins.has('http')).toBe(true);
    expect(loaded.builtins.has('internal/deps/undici/undici')).toBe(false);
  });

  it('a run of a check that needs scopes loads the Taskcluster client for its preflight, from its one-file bundle', async () => {
    // With credentials, so that its requests are signed (through hawk).
    const loaded = await traced(['run', '--root-url', deployment.rootUrl, '--check', 'queue.built-in-succeed', '--no-history'], dir,
      { TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: 'token-123456' });
    expect(loaded.stdout).toContain('queue.built-in-succeed');
    expect(loaded.projectModules).toContain(TASKCLUSTER_CLIENT_BUNDLE);
    // From the bundle alone: none of the ES modules it was made from, none of the packages it holds. hawk is
    // not in it: a deprecation Node keeps quiet about in node_modules (hawk's url.parse) stays quiet.
    expect([...loaded.packages].filter((name) => ['taskcluster-client', 'got', 'lodash', 'http2-wrapper'].includes(name))).toEqual([]);
    expect(loaded.packages).toContain('hawk');
    expect(loaded.stderr).not.toContain('Warning');
    expect(deployment.requests.map((request) => request.path)).toContain('/api/auth/v1/scopes/current');
  });

  it('asks the deployment for its version before it loads the check catalogue', async () => {
    // A check file that, while the catalogue loads it, tells the deployment so.
    const dir = projectDir(`rootUrl: ${deployment.rootUrl}\nchecksDir: ./checks\n`, {
      'loading.mjs': [
        "await fetch(`${process.env.TC_CANARY_TEST_ROOT}/catalogue-loading`);",
        "export const noop = { id: 'test.noop', description: 'does nothing', async run() {} };",
      ].join('\n'),
    });
    const before = deployment.requests.length;
    const { code } = await runCli(['run', '--check', 'test.noop', '--no-history'], { cwd: dir, env: { TC_CANARY_TEST_ROOT: deployment.rootUrl } });
    expect(code).toBe(0);
    const paths = deployment.requests.slice(before).map((request) => request.path);
    expect(paths).toEqual(['/__version__', '/catalogue-loading']);
  });

  it('does not wait for that answer when the run stops before using it', async () => {
    // The config has no problem, so /__version__ is asked for; the arguments then stop the run, which must not
    // wait the 20 s this deployment takes to answer (the test's own timeout is 10 s).
    const silent = await FakeDeployment.start();
    try {
      silent.set('/__version__', { status: 200, body: { version: '74.0.0' }, delayMs: 20_000 });
      const { code, stderr } = await runCli(['run', '--root-url', silent.rootUrl, '--check', 'nosuch.*', '--no-history'], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toContain('"nosuch.*" matches no check');
    } finally {
      await silent.close();
    }
  }, 10_000);
});
