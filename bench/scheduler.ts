// `serve` under load: 10,000 scheduled no-op checks, each once a minute (spread over the seconds of the
// minute), each firing a real run of the runner recorded into a SQLite history and the Prometheus metrics,
// against a local deployment answering the preflight. Prints the scheduler's start delay (slot to start,
// p50/p99/max; target p99 under 50 ms) and the RSS after the first minute and at the end (target: growth
// under 10 %).
//
//   npm run build && node --expose-gc dist/bench/scheduler.js [CHECKS] [MINUTES] [runner|bare]
//
// `bare` schedules no-op jobs without the runner, separating the scheduler's own delay from the cost of
// runs (preflight HTTP, history writes) queueing behind each other.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCheck } from '../src/check/define.js';
import { openHistory } from '../src/history/open.js';
import { CanaryMetrics } from '../src/metrics/canary-metrics.js';
import { HistoryRecorder } from '../src/recording/history-recorder.js';
import { Redactor } from '../src/redact.js';
import { checkJobs } from '../src/scheduler/check-jobs.js';
import { Scheduler } from '../src/scheduler/scheduler.js';

const CHECKS = Number(process.argv[2] ?? 10_000);
const MINUTES = Number(process.argv[3] ?? 3);
const BARE = process.argv[4] === 'bare';
const TARGET_P99_MS = 50;
const TARGET_RSS_GROWTH = 0.1;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The deployment: preflight's /__version__ and auth.currentScopes(), answered at once.
const deployment = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(request.url?.includes('/scopes/current') ? '{"scopes":["*"]}' : '{"version":"74.0.0"}');
});
await new Promise<void>((resolve) => deployment.listen(0, '127.0.0.1', resolve));
const rootUrl = `http://127.0.0.1:${(deployment.address() as AddressInfo).port}`;

const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-scheduler-'));
const store = await openHistory(`sqlite:${join(dir, 'history.db')}`);
const recorder = new HistoryRecorder(store, { toolVersion: 'bench', onProblem: (message) => console.error(message) });
const metrics = new CanaryMetrics();
const stop = new AbortController();

const checks = Array.from({ length: CHECKS }, (_, i) => ({
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
const jobs = BARE ? runnerJobs.map((job) => ({ ...job, run: async () => undefined })) : runnerJobs;

const delays: number[] = [];
let failed = 0;
const scheduler = new Scheduler(jobs, {
  concurrency: 1000,
  needsStartupRun: async () => false,
  onEvent: (event) => {
    if (event.type === 'started') delays.push(event.startDelayMs);
    if (event.type === 'failed' || (event.type === 'skipped' && event.reason !== 'ran-recently')) failed += 1;
  },
});

const scheduledAt = process.hrtime.bigint();
scheduler.start();
console.log(`${CHECKS} ${BARE ? 'bare no-op jobs' : 'no-op checks through the runner'} scheduled in ${Number(process.hrtime.bigint() - scheduledAt) / 1e6} ms; running ${MINUTES} minutes`);
await sleep(60_000);
global.gc?.();
const rssStart = process.memoryUsage().rss;
const firedAfterFirstMinute = delays.length;
await sleep((MINUTES - 1) * 60_000);
global.gc?.();
const rssEnd = process.memoryUsage().rss;

scheduler.stop();
stop.abort();
await scheduler.drain(10_000);
await recorder.drain();
await store.close();
deployment.close();
rmSync(dir, { recursive: true, force: true });

const sorted = [...delays].sort((a, b) => a - b);
const growth = (rssEnd - rssStart) / rssStart;
const p99 = percentile(sorted, 99);
console.log(`runs: ${delays.length} (${firedAfterFirstMinute} in the first minute), skipped or failed: ${failed}`);
console.log(`start delay: p50 ${percentile(sorted, 50)} ms, p99 ${p99} ms, max ${sorted.at(-1)} ms (target p99 < ${TARGET_P99_MS} ms): ${p99 < TARGET_P99_MS ? 'ok' : 'MISSED'}`);
console.log(`RSS: ${mb(rssStart)} after the first minute, ${mb(rssEnd)} at the end, growth ${(growth * 100).toFixed(1)} % (target < ${TARGET_RSS_GROWTH * 100} %): ${growth < TARGET_RSS_GROWTH ? 'ok' : 'MISSED'}`);
