// The built CLI (dist/, made by `npm run build`, which the test command runs first) as a child process, with
// its output collected, and a project folder holding a config and check files for it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | NodeJS.Signals>;
  /** Resolves once standard output or error matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** The environment of a spawned CLI: no credentials or history settings leak in from the test's own. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { TASKCLUSTER_CLIENT_ID: _i, TASKCLUSTER_ACCESS_TOKEN: _t, TASKCLUSTER_ROOT_URL: _r, TC_CANARY_HISTORY: _h, TC_CANARY_CONFIG: _c, PULSE_URL: _p, ...env } = process.env;
  return { ...env, CI: 'true', ...extra };
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** An installed tc-canary executable to run instead of the built dist/; its `#!/usr/bin/env node` finds this Node. */
  bin?: string;
}

export function startCli(args: string[], options: CliOptions): CliProcess {
  const [command, argv] = options.bin ? [options.bin, args] : [process.execPath, [CLI, ...args]];
  const env = options.bin ? { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, ...options.env } : options.env;
  const child = spawn(command, argv, { cwd: options.cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const collect = (append: (text: string) => void) => (chunk: Buffer) => {
    append(chunk.toString());
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect((text) => { out += text; }));
  child.stderr!.on('data', collect((text) => { err += text; }));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal!)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (pattern, timeoutMs = 20_000) => new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(out) || pattern.test(err)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    }),
  };
}

export async function runCli(args: string[], options: CliOptions): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const cli = startCli(args, options);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** A temporary folder with tc-canary.yml and check files (name -> source) in its checks/ folder. */
export function projectDir(config: string, checkFiles: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-cli-'));
  mkdirSync(path.join(dir, 'checks'));
  writeFileSync(path.join(dir, 'tc-canary.yml'), config);
  for (const [name, source] of Object.entries(checkFiles)) writeFileSync(path.join(dir, 'checks', name), source);
  return dir;
}
