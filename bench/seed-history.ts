// A month of generated results for the history benches: RESULTS results of 50 checks (11 pings, 39 pool
// claims), one run of every check at a time, spread evenly over the 30 days up to `now`, loaded with
// importRuns in transactions of 100 runs; and the timing helpers those benches share.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { summarize, type CheckResult, type Outcome, type RunResult } from '../src/check/result.js';
import type { HistoryStore } from '../src/history/store.js';
import { BUILT_CLI } from './figures.js';

export const CHECKS = 50;
export const DAY = 86_400_000;
const RUNS_PER_IMPORT = 100;
export const checkIds = Array.from({ length: CHECKS }, (_, i) => (i < 11 ? `ping.service${i}` : `pool.proj-${i}/type.claim`));

/** A small seeded uniform generator on [0, 1), so every run of a bench loads the same data (tests draw from it too). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcomeOf(roll: number): Outcome {
  if (roll < 0.02) return 'failed';
  if (roll < 0.025) return 'error';
  if (roll < 0.035) return 'flaky';
  if (roll < 0.04) return 'skipped';
  return 'passed';
}

function resultOf(id: string, startedMs: number, next: () => number, slowdown: number): CheckResult {
  const outcome = outcomeOf(next());
  const startedAt = new Date(startedMs).toISOString();
  const latency = Math.round((20 + 200 * next() ** 3) * slowdown);
  const failing = outcome === 'failed' || outcome === 'error';
  const error = failing ? { kind: 'assertion' as const, message: 'expected 200, got 503', step: 'ping' } : undefined;
  const steps = [{ name: 'ping', outcome: failing ? ('failed' as const) : ('passed' as const), offsetMs: 0, durationMs: latency }];
  const attempt = { attempt: 1, outcome: failing ? ('failed' as const) : ('passed' as const), startedAt, durationMs: latency + 2, steps, ...(error && { error }) };
  const skipped = outcome === 'skipped';
  return {
    id, description: `bench check ${id}`, tags: ['bench'], outcome, startedAt, durationMs: skipped ? 0 : latency + 2,
    attempts: skipped ? [] : [attempt], steps: skipped ? [] : steps,
    metrics: skipped ? {} : { response_ms: { value: latency, unit: 'ms', limit: 500, ok: true } },
    resources: [], log: [], ...(skipped && { skipReason: 'bench' }), ...(error && { error }),
  };
}

export interface SeedPlan {
  results: number;
  now: number;
  /** The deployment version of the run with this index (default v74.0.0 for all). */
  versionOf?: (run: number, runs: number) => string;
  /** Multiplies a check's latencies in a run (default 1: every version alike). */
  slowdownOf?: (run: number, runs: number, checkId: string) => number;
}

function runOf(plan: SeedPlan, run: number, runs: number, startedMs: number, next: () => number): RunResult {
  const ids = checkIds.slice(0, Math.min(CHECKS, plan.results - run * CHECKS));
  const checks = ids.map((id) => resultOf(id, startedMs, next, plan.slowdownOf?.(run, runs, id) ?? 1));
  const summary = summarize(checks);
  return {
    schemaVersion: 1, runId: `bench-${run}`, startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(startedMs + 1000).toISOString(), durationMs: 1000, rootUrl: 'https://tc.example.com',
    deployment: { version: plan.versionOf?.(run, runs) ?? 'v74.0.0' }, tool: { name: 'tc-canary', version: 'bench' },
    outcome: summary.failed + summary.error > 0 ? 'failed' : 'passed', summary, checks,
  };
}

/** Loads the month; returns the seconds it took. */
export async function loadMonth(store: HistoryStore, plan: SeedPlan): Promise<number> {
  const next = seededRandom(42);
  const runs = Math.ceil(plan.results / CHECKS);
  const interval = (30 * DAY) / runs;
  const start = performance.now();
  for (let first = 0; first < runs; first += RUNS_PER_IMPORT) {
    const batch: RunResult[] = [];
    for (let run = first; run < Math.min(runs, first + RUNS_PER_IMPORT); run++) {
      batch.push(runOf(plan, run, runs, Math.round(plan.now - 30 * DAY + run * interval), next));
    }
    await store.importRuns(batch);
    process.stdout.write(`  loaded ${Math.min(plan.results, (first + RUNS_PER_IMPORT) * CHECKS).toLocaleString('en')} results\r`);
  }
  return (performance.now() - start) / 1000;
}

/** The times of `calls` calls after one warm-up (caches and prepared statements), ascending. */
export async function timeIt(calls: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/** The built CLI with these arguments over a history, start to exit (Node's own start-up included), `calls` times. */
export function timeCommand(calls: number, args: readonly string[], historySpec: string, expectedCodes: readonly number[] = [0]): Promise<number[]> {
  return timeIt(calls, () => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], {
      env: { ...process.env, TC_CANARY_HISTORY: historySpec, TC_CANARY_CONFIG: '' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code !== null && expectedCodes.includes(code) ? resolve() : reject(new Error(`${args[0]} exited ${code}`))));
  }));
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
