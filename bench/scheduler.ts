// `serve` under load: 10,000 scheduled checks, each once a minute (spread over the seconds of the minute).
// Modes, each run several times in a fresh process, then the medians:
// - bare: no-op jobs, the scheduler alone;
// - runner: each firing a real run of the runner, recorded into a SQLite history and the Prometheus metrics,
//   against a local deployment answering the preflight;
// - runner-postgres: the same with the history on PostgreSQL and each slot elected by the PostgreSQL run
//   coordinator, as replicas run (URL in TC_CANARY_BENCH_POSTGRES_URL; a schema of its own, dropped after).
// Prints the RSS at the start, after the first minute and at the end (target: growth under 10 %), and the
// scheduler's start delay, slot to start, p50/p99/max (target p99 under 50 ms); for the runner also slot to
// finish and the history writes still queued at the end, which show whether the runs keep up.
//
//   npm run build && node dist/bench/scheduler.js [CHECKS] [MINUTES] [RUNS] [bare|runner|runner-postgres|all]

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { defineCheck } from '../src/check/define.js';
import { openHistory } from '../src/history/open.js';
import { CanaryMetrics } from '../src/metrics/canary-metrics.js';
import { HistoryRecorder } from '../src/history/recorder.js';
import { Redactor } from '../src/redact.js';
import { checkJobs } from '../src/scheduler/check-jobs.js';
import { PostgresRunCoordinator } from '../src/scheduler/postgres-coordinator.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { growth, mb, median, pct, percentile, sleep, verdict } from './figures.js';
import { startLocalDeployment } from './local-deployment.js';

type Mode = 'bare' | 'runner' | 'runner-postgres';

interface Memory {
  rss: number;
  heapUsed: number;
}

interface Figures {
  setupMs: number;
  start: Memory;
  firstMinute: Memory;
  end: Memory;
  runs: number;
  expectedRuns: number;
  skippedOrFailed: number;
  delay: { p50: number; p99: number; max: number };
  /** Slot to the run's end. */
  finish: { p50: number; p99: number; max: number };
  historyQueued: number;
}

const TARGET_P99_MS = 50;
const TARGET_RSS_GROWTH = 0.1;
const RESULT_PREFIX = 'FIGURES ';

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};
const memoryAfterGc = (): Memory => {
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

async function measure(mode: Mode, checkCount: number, minutes: number): Promise<Figures> {
  const deployment = await startLocalDeployment();
  const { rootUrl } = deployment;

  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-scheduler-'));
  const postgresUrl = process.env.TC_CANARY_BENCH_POSTGRES_URL;
  const schema = `tc_canary_bench_${process.pid}`;
  const onPostgres = mode === 'runner-postgres';
  if (onPostgres && !postgresUrl) throw new Error('runner-postgres needs TC_CANARY_BENCH_POSTGRES_URL');
  const store = onPostgres ? await openHistory(postgresUrl!, { schema }) : await openHistory(`sqlite:${join(dir, 'history.db')}`);
  const coordinator = onPostgres ? await PostgresRunCoordinator.open(postgresUrl!, { schema }) : undefined;
  const recorder = new HistoryRecorder(store, { toolVersion: 'bench', onProblem: (message) => console.error(message) });
  const metrics = new CanaryMetrics();
  const stop = new AbortController();

  const setupStarted = performance.now();
  const checks = Array.from({ length: checkCount }, (_, i) => ({
    check: defineCheck({ id: `bench.noop-${i}`, description: 'does nothing', async run() {} }),
    params: {},
    // Spread over the minute, as many real schedules are not: the cap, not the scheduler, queues a burst.
    cron: `${i % 60} * * * * *`,
  }));
  const runnerJobs = checkJobs(checks, {
    rootUrl,
    credentials: undefined,
    redactor: new Redactor(),
    toolVersion: 'bench',
    reporters: () => [recorder.reporter(), metrics.reporter()],
    latest: () => store.latestResults(),
    signal: stop.signal,
  });
  const jobs = mode === 'bare' ? runnerJobs.map((job) => ({ ...job, run: async () => undefined })) : runnerJobs;

  const delays: number[] = [];
  const finishes: number[] = [];
  let skippedOrFailed = 0;
  const scheduler = new Scheduler(jobs, {
    concurrency: 1000,
    ...(coordinator && { coordinator }),
    needsStartupRun: async () => false,
    onEvent: (event) => {
      if (event.type === 'started') delays.push(event.startDelayMs);
      if (event.type === 'finished') finishes.push(Date.now() - event.slot.getTime());
      if (event.type === 'failed' || (event.type === 'skipped' && event.reason !== 'ran-recently')) skippedOrFailed += 1;
    },
  });
  scheduler.start();
  const setupMs = performance.now() - setupStarted;
  const startedAt = Date.now();
  const start = memoryAfterGc();
  await sleep(60_000);
  const firstMinute = memoryAfterGc();
  await sleep((minutes - 1) * 60_000);
  const end = memoryAfterGc();
  const expectedRuns = Math.round(((Date.now() - startedAt) / 60_000) * checkCount);
  const historyQueued = recorder.state().pending;

  scheduler.stop();
  stop.abort();
  await scheduler.drain(10_000);
  await recorder.drain();
  await store.close();
  await coordinator?.close();
  if (onPostgres) await dropSchema(postgresUrl!, schema);
  deployment.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    setupMs, start, firstMinute, end, runs: delays.length, expectedRuns, skippedOrFailed,
    delay: spread(delays), finish: spread(finishes), historyQueued,
  };
}

async function dropSchema(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`).finally(() => client.end());
}

const ms = (value: number) => `${Math.round(value)} ms`;

function describe(f: Figures): string {
  return [
    `setup ${ms(f.setupMs)}; runs ${f.runs} of ${f.expectedRuns} due, skipped or failed ${f.skippedOrFailed}, history writes queued at the end ${f.historyQueued}`,
    `start delay p50 ${ms(f.delay.p50)}, p99 ${ms(f.delay.p99)}, max ${ms(f.delay.max)}; slot to finish p50 ${ms(f.finish.p50)}, p99 ${ms(f.finish.p99)}, max ${ms(f.finish.max)}`,
    `RSS ${mb(f.start.rss)} at the start, ${mb(f.firstMinute.rss)} after the first minute, ${mb(f.end.rss)} at the end: growth ${pct(growth(f.start.rss, f.end.rss))} from the start, ${pct(growth(f.firstMinute.rss, f.end.rss))} after the first minute`,
    `heap used ${mb(f.start.heapUsed)}, ${mb(f.firstMinute.heapUsed)}, ${mb(f.end.heapUsed)}: growth ${pct(growth(f.firstMinute.heapUsed, f.end.heapUsed))} after the first minute`,
  ].join('\n  ');
}

function medians(all: Figures[]): Figures {
  const of = (pick: (f: Figures) => number) => median(all.map(pick));
  const memory = (pick: (f: Figures) => Memory): Memory => ({ rss: of((f) => pick(f).rss), heapUsed: of((f) => pick(f).heapUsed) });
  return {
    setupMs: of((f) => f.setupMs), start: memory((f) => f.start), firstMinute: memory((f) => f.firstMinute), end: memory((f) => f.end),
    runs: of((f) => f.runs), expectedRuns: of((f) => f.expectedRuns), skippedOrFailed: of((f) => f.skippedOrFailed), historyQueued: of((f) => f.historyQueued),
    delay: { p50: of((f) => f.delay.p50), p99: of((f) => f.delay.p99), max: of((f) => f.delay.max) },
    finish: { p50: of((f) => f.finish.p50), p99: of((f) => f.finish.p99), max: of((f) => f.finish.max) },
  };
}

const [checksArg = '10000', minutesArg = '3', runsArg = '3', modeArg = 'all', child] = process.argv.slice(2);
const checkCount = Number(checksArg);
const minutes = Number(minutesArg);
if (child === '--child') {
  console.log(RESULT_PREFIX + JSON.stringify(await measure(modeArg as Mode, checkCount, minutes)));
} else {
  // Each measurement in a fresh process: one run's heap must not weigh on the next one's RSS.
  const self = fileURLToPath(import.meta.url);
  const modes: Mode[] = modeArg === 'all'
    ? ['bare', 'runner', ...(process.env.TC_CANARY_BENCH_POSTGRES_URL ? ['runner-postgres' as const] : [])]
    : [modeArg as Mode];
  for (const mode of modes) {
    const all: Figures[] = [];
    for (let run = 1; run <= Number(runsArg); run += 1) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', self, checksArg, minutesArg, '1', mode, '--child'], { maxBuffer: 1 << 24 });
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (!line) throw new Error(`run ${run} of ${mode} printed no figures:\n${stdout}`);
      all.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as Figures);
      console.log(`${mode} run ${run}: ${describe(all.at(-1)!)}`);
    }
    const m = medians(all);
    console.log(`${mode}, median of ${all.length} runs (${checkCount} checks, ${minutes} minutes each):\n  ${describe(m)}`);
    console.log(`  start delay p99 ${ms(m.delay.p99)} (target < ${TARGET_P99_MS} ms): ${verdict(m.delay.p99 < TARGET_P99_MS)}; RSS growth from the start ${pct(growth(m.start.rss, m.end.rss))}, after the first minute ${pct(growth(m.firstMinute.rss, m.end.rss))} (target < ${pct(TARGET_RSS_GROWTH)}: ${verdict(growth(m.firstMinute.rss, m.end.rss) < TARGET_RSS_GROWTH)})`);
  }
}
