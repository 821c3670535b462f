// How the history holds up under a month of results: 1,000,000 results of 50 checks (20,000 runs) loaded
// into SQLite and into PostgreSQL, then the time of what `/status.json` reads (latest results and the 24 h
// and 7 d uptimes of every check) and of `tc-canary history --since 30d` (summarize): first the store calls
// alone, then end to end: GET /status.json from a real `serve` (startService on a loopback port, serving the
// 50 checks over that history) and the built CLI's `history --since 30d --json` as a process.
// Targets: status p95 under 50 ms, history summary under 500 ms.
//
//   eval "$(bash scripts/services.sh)" && npm run build && node dist/bench/history.js [RESULTS]
//
// PostgreSQL comes from TC_CANARY_TEST_POSTGRES_URL (a schema of its own, dropped afterwards); without it only
// SQLite runs.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { defineCheck } from '../src/check/define.js';
import { summarize, type CheckResult, type Outcome, type RunResult } from '../src/check/result.js';
import { openHistory, type OpenHistoryOptions } from '../src/history/open.js';
import type { HistoryStore } from '../src/history/store.js';
import { Redactor } from '../src/redact.js';
import { startService } from '../src/server/service.js';
import { BUILT_CLI, percentile, verdict } from './figures.js';

const RESULTS = Number(process.argv[2] ?? 1_000_000);
const CHECKS = 50;
const RUNS = Math.ceil(RESULTS / CHECKS);
const RUNS_PER_IMPORT = 100;
const DAY = 86_400_000;
const STATUS_CALLS = 50;
const SUMMARY_CALLS = 5;
const TARGET_STATUS_P95_MS = 50;
const TARGET_SUMMARY_MS = 500;

// The month up to now, so that the CLI (which reads the real clock) sees it; to the millisecond, so practically
// never on an hour or day boundary (summaries read raw results for the part-hour and part-day at the start).
const NOW = Date.now();
const clock = { now: () => NOW };
const STATUS_REQUESTS = 50;
const HISTORY_COMMANDS = 5;
/** Once a year: the served checks never run while the bench reads the endpoint. */
const NEVER_DURING_THE_BENCH = '0 0 1 1 *';
const checkIds = Array.from({ length: CHECKS }, (_, i) => (i < 11 ? `ping.service${i}` : `pool.proj-${i}/type.claim`));

/** A small seeded generator, so every run of the bench loads the same data. */
function random(seed: number): () => number {
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

function resultOf(id: string, startedMs: number, next: () => number): CheckResult {
  const outcome = outcomeOf(next());
  const startedAt = new Date(startedMs).toISOString();
  const latency = Math.round(20 + 200 * next() ** 3);
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

function runOf(run: number, startedMs: number, next: () => number): RunResult {
  const checks = checkIds.slice(0, Math.min(CHECKS, RESULTS - run * CHECKS)).map((id) => resultOf(id, startedMs, next));
  const summary = summarize(checks);
  return {
    schemaVersion: 1, runId: `bench-${run}`, startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(startedMs + 1000).toISOString(), durationMs: 1000, rootUrl: 'https://tc.example.com',
    deployment: { version: 'v74.0.0' }, tool: { name: 'tc-canary', version: 'bench' },
    outcome: summary.failed + summary.error > 0 ? 'failed' : 'passed', summary, checks,
  };
}

/** Loads the runs in imports of RUNS_PER_IMPORT runs: one transaction each, as a bulk load should. */
async function load(store: HistoryStore): Promise<number> {
  const next = random(42);
  const interval = (30 * DAY) / RUNS;
  const start = performance.now();
  for (let first = 0; first < RUNS; first += RUNS_PER_IMPORT) {
    const runs: RunResult[] = [];
    for (let run = first; run < Math.min(RUNS, first + RUNS_PER_IMPORT); run++) {
      runs.push(runOf(run, Math.round(NOW - 30 * DAY + run * interval), next));
    }
    await store.importRuns(runs);
    process.stdout.write(`  loaded ${Math.min(RESULTS, (first + RUNS_PER_IMPORT) * CHECKS).toLocaleString('en')} results\r`);
  }
  return (performance.now() - start) / 1000;
}

async function timeIt(calls: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: caches and prepared statements
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** GET /status.json from a running service over the loaded history. */
async function timeStatusEndpoint(spec: string, options: OpenHistoryOptions): Promise<number[]> {
  const checks = checkIds.map((id) => ({ check: defineCheck({ id, description: `bench check ${id}`, async run() {} }), params: {}, cron: NEVER_DURING_THE_BENCH }));
  const service = await startService({
    checks, rootUrl: 'https://tc.example.com', credentials: undefined, redactor: new Redactor(), concurrency: 8,
    historySpec: spec, historyOptions: options, listen: { host: '127.0.0.1', port: 0 }, log: () => undefined,
  });
  try {
    return await timeIt(STATUS_REQUESTS, async () => {
      const response = await fetch(`${service.url}/status.json`);
      if (response.status !== 200 && response.status !== 503) throw new Error(`/status.json answered ${response.status}`);
      await response.json();
    });
  } finally {
    await service.stop();
  }
}

/** The built CLI's `history --since 30d --json`, start to exit (Node's own start-up included). */
async function timeHistoryCommand(historySpec: string): Promise<number[]> {
  return timeIt(HISTORY_COMMANDS, () => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, 'history', '--since', '30d', '--json'], {
      env: { ...process.env, TC_CANARY_HISTORY: historySpec, TC_CANARY_CONFIG: '' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`history exited ${code}`))));
  }));
}

async function bench(name: string, spec: string, options: OpenHistoryOptions, cliSpec: string): Promise<boolean> {
  console.log(`${name}: loading ${RESULTS.toLocaleString('en')} results of ${CHECKS} checks over 30 days`);
  const store = await openHistory(spec, { ...options, clock });
  let storeOk = false;
  try {
    const loadSeconds = await load(store);
    console.log(`  loaded in ${loadSeconds.toFixed(1)} s (${Math.round(RESULTS / loadSeconds).toLocaleString('en')} results/s)`);

    const latest = await timeIt(STATUS_CALLS, () => store.latestResults());
    const status = await timeIt(STATUS_CALLS, () =>
      Promise.all([store.latestResults(), store.uptimes(NOW - DAY), store.uptimes(NOW - 7 * DAY)]));
    const summary = await timeIt(SUMMARY_CALLS, () => store.summarize({ since: NOW - 30 * DAY }));
    const checked = await store.summarize({ since: NOW - 30 * DAY });
    const counted = checked.checks.reduce((sum, check) => sum + Object.values(check.counts).reduce((a, b) => a + b, 0), 0);

    console.log(`  latestResults():           p50 ${ms(percentile(latest, 50))}, p95 ${ms(percentile(latest, 95))}`);
    const statusOk = percentile(status, 95) < TARGET_STATUS_P95_MS;
    console.log(`  status (latest + uptimes): p50 ${ms(percentile(status, 50))}, p95 ${ms(percentile(status, 95))}` +
      ` (target p95 < ${TARGET_STATUS_P95_MS} ms: ${verdict(statusOk)})`);
    const summaryOk = percentile(summary, 100) < TARGET_SUMMARY_MS;
    console.log(`  summarize({since: 30d}):   p50 ${ms(percentile(summary, 50))}, max ${ms(percentile(summary, 100))}` +
      ` (target < ${TARGET_SUMMARY_MS} ms: ${verdict(summaryOk)}; ${checked.checks.length} checks, ${counted.toLocaleString('en')} results counted)`);
    storeOk = statusOk && summaryOk;
  } finally {
    await store.close();
  }

  const endpoint = await timeStatusEndpoint(spec, options);
  const endpointOk = percentile(endpoint, 95) < TARGET_STATUS_P95_MS;
  console.log(`  GET /status.json (serve):  p50 ${ms(percentile(endpoint, 50))}, p95 ${ms(percentile(endpoint, 95))}` +
    ` (target p95 < ${TARGET_STATUS_P95_MS} ms: ${verdict(endpointOk)})`);
  const command = await timeHistoryCommand(cliSpec);
  const commandOk = percentile(command, 100) < TARGET_SUMMARY_MS;
  console.log(`  history --since 30d (CLI): p50 ${ms(percentile(command, 50))}, max ${ms(percentile(command, 100))}` +
    ` (process start to exit; target < ${TARGET_SUMMARY_MS} ms: ${verdict(commandOk)})`);
  return storeOk && endpointOk && commandOk;
}

async function main(): Promise<void> {
  let ok = true;
  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-history-'));
  try {
    const sqlite = `sqlite:${join(dir, 'history.db')}`;
    ok = (await bench('SQLite', sqlite, {}, sqlite)) && ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const url = process.env.TC_CANARY_TEST_POSTGRES_URL;
  if (!url) {
    console.log('PostgreSQL: skipped (TC_CANARY_TEST_POSTGRES_URL is not set)');
  } else {
    const schema = `tc_canary_bench_${randomBytes(4).toString('hex')}`;
    try {
      // The CLI takes no schema option: the connection's search_path puts it in the bench's schema.
      const cliSpec = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      ok = (await bench('PostgreSQL', url, { schema }, cliSpec)) && ok;
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
