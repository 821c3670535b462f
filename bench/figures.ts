// What the benches share: how they print their figures, the median of repeated runs, one percentile rule, the
// built CLI they spawn, and a sleep.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;
export const growth = (from: number, to: number): number => (to - from) / from;

/** The nearest-rank percentile (0-100) of ascending values: the smallest value with p % of them at or below it. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

export const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The built CLI (dist/src/cli/main.js), as the benches in dist/bench/ find it. */
export const BUILT_CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Wall time from spawn to exit of `node ...args`; a non-zero exit stops the bench. */
export function timedNode(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => child.on('exit', (code) => {
    if (code === 0) resolve(performance.now() - started);
    else reject(new Error(`node ${args.join(' ')} exited ${code}:\n${stderr}`));
  }));
}
