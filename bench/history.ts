// How the history holds up under a month of results: 1,000,000 results of 50 checks (20,000 runs) loaded
// into SQLite and into PostgreSQL, then the time of what `/status.json` reads (latest results and the 24 h
// and 7 d uptimes of every check) and of `tc-canary history --since 30d` (summarize): first the store calls
// alone, then end to end: GET /status.json from a real `serve` (startService on a loopback port, serving the
// 50 checks over that history) and the built CLI's `history --since 30d --json` as a process.
// The same store calls run again over better-sqlite3 (installed on demand: bench/better-sqlite3.ts), side by
// side, with each figure's ratio. Targets: status p95 under 50 ms, history summary under 500 ms, node:sqlite
// at most 1.2 x better-sqlite3.
//
//   eval "$(bash scripts/services.sh)" && npm run build && node dist/bench/history.js [RESULTS]
//
// PostgreSQL comes from TC_CANARY_TEST_POSTGRES_URL (a schema of its own, dropped afterwards); without it only
// SQLite runs.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import pg from 'pg';
import { defineCheck } from '../src/check/define.js';
import { openHistory, openHistoryOn, type OpenHistoryOptions } from '../src/history/open.js';
import type { HistoryStore } from '../src/history/store.js';
import { Redactor } from '../src/redact.js';
import { startService } from '../src/server/service.js';
import { BETTER_SQLITE3_VERSION, betterSqlite3Opener } from './better-sqlite3.js';
import { percentile, verdict } from './figures.js';
import { CHECKS, checkIds, DAY, loadMonth, ms, timeCommand, timeIt } from './seed-history.js';

const RESULTS = Number(process.argv[2] ?? 1_000_000);
const STATUS_CALLS = 50;
const SUMMARY_CALLS = 5;
const TARGET_STATUS_P95_MS = 50;
const TARGET_SUMMARY_MS = 500;
/** node:sqlite may be at most this much slower than better-sqlite3 on any store figure. */
const TARGET_RATIO = 1.2;

// The month up to now, so that the CLI (which reads the real clock) sees it; to the millisecond, so practically
// never on an hour or day boundary (summaries read raw results for the part-hour and part-day at the start).
const NOW = Date.now();
const clock = { now: () => NOW };
const STATUS_REQUESTS = 50;
const HISTORY_COMMANDS = 5;
/** Once a year: the served checks never run while the bench reads the endpoint. */
const NEVER_DURING_THE_BENCH = '0 0 1 1 *';

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

/** The built CLI's `history --since 30d --json` as a process, start to exit. */
const timeHistoryCommand = (historySpec: string) => timeCommand(HISTORY_COMMANDS, ['history', '--since', '30d', '--json'], historySpec);

/** What `/status.json` reads. */
const statusReads = (store: HistoryStore) => Promise.all([store.latestResults(), store.uptimes(NOW - DAY), store.uptimes(NOW - 7 * DAY)]);

/** The store calls alone over the loaded month; returns the load's seconds and whether the targets were met. */
async function measureStore(store: HistoryStore): Promise<{ loadSeconds: number; ok: boolean }> {
  const loadSeconds = await loadMonth(store, { results: RESULTS, now: NOW });
  console.log(`  loaded in ${loadSeconds.toFixed(1)} s (${Math.round(RESULTS / loadSeconds).toLocaleString('en')} results/s)`);

  const latest = await timeIt(STATUS_CALLS, () => store.latestResults());
  const status = await timeIt(STATUS_CALLS, () => statusReads(store));
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
  return { loadSeconds, ok: statusOk && summaryOk };
}

async function bench(name: string, spec: string, options: OpenHistoryOptions, cliSpec: string): Promise<{ ok: boolean; loadSeconds: number }> {
  console.log(`${name}: loading ${RESULTS.toLocaleString('en')} results of ${CHECKS} checks over 30 days`);
  const store = await openHistory(spec, { ...options, clock });
  let measured;
  try {
    measured = await measureStore(store);
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
  return { ok: measured.ok && endpointOk && commandOk, loadSeconds: measured.loadSeconds };
}

/** Each call timed on one store then the other, in turn, so that the machine's other work weighs on both alike. */
async function timeInTurn(calls: number, fn: (store: HistoryStore) => Promise<unknown>, stores: [HistoryStore, HistoryStore]): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (const store of stores) await fn(store);
  for (let i = 0; i < calls; i++) {
    for (const [side, store] of stores.entries()) {
      const start = performance.now();
      await fn(store);
      times[side]!.push(performance.now() - start);
    }
  }
  return [times[0].sort((a, b) => a - b), times[1].sort((a, b) => a - b)];
}

/**
 * The same month loaded through better-sqlite3, then the store calls on both histories in turn: each figure of
 * node:sqlite over better-sqlite3's, and the worst of those ratios against the target.
 */
async function compareWithBetterSqlite3(dir: string, nodeSqliteSpec: string, nodeSqliteLoadSeconds: number): Promise<boolean> {
  console.log(`better-sqlite3 ${BETTER_SQLITE3_VERSION} (for comparison): loading the same results`);
  const open = betterSqlite3Opener();
  const path = join(dir, 'history-better-sqlite3.db');
  const better = await openHistoryOn(async () => open(path), `sqlite:${path}`, { clock });
  const ours = await openHistory(nodeSqliteSpec, { clock });
  const rows: [string, number, number][] = [];
  try {
    const loadSeconds = await loadMonth(better, { results: RESULTS, now: NOW });
    console.log(`  loaded in ${loadSeconds.toFixed(1)} s`);
    rows.push(['load (s)', nodeSqliteLoadSeconds, loadSeconds]);
    const stores: [HistoryStore, HistoryStore] = [ours, better];
    const [latestOurs, latestTheirs] = await timeInTurn(STATUS_CALLS, (store) => store.latestResults(), stores);
    rows.push(['latestResults() p50 (ms)', percentile(latestOurs, 50), percentile(latestTheirs, 50)]);
    const [statusOurs, statusTheirs] = await timeInTurn(STATUS_CALLS, statusReads, stores);
    rows.push(['status p50 (ms)', percentile(statusOurs, 50), percentile(statusTheirs, 50)]);
    rows.push(['status p95 (ms)', percentile(statusOurs, 95), percentile(statusTheirs, 95)]);
    const [summaryOurs, summaryTheirs] = await timeInTurn(SUMMARY_CALLS, (store) => store.summarize({ since: NOW - 30 * DAY }), stores);
    rows.push(['summarize p50 (ms)', percentile(summaryOurs, 50), percentile(summaryTheirs, 50)]);
  } finally {
    await Promise.all([ours.close(), better.close()]);
  }
  console.log('node:sqlite vs better-sqlite3, same store, same data, calls in turn:');
  for (const [figure, mine, theirs] of rows) {
    console.log(`  ${figure.padEnd(26)} ${mine.toFixed(1).padStart(8)} vs ${theirs.toFixed(1).padStart(8)}  ${(mine / theirs).toFixed(2)} x`);
  }
  const worst = Math.max(...rows.map(([, mine, theirs]) => mine / theirs));
  const ok = worst <= TARGET_RATIO;
  console.log(`  worst ratio ${worst.toFixed(2)} x (target <= ${TARGET_RATIO} x: ${verdict(ok)})`);
  return ok;
}

async function main(): Promise<void> {
  let ok = true;
  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-history-'));
  try {
    const sqlite = `sqlite:${join(dir, 'history.db')}`;
    const nodeSqlite = await bench('SQLite (node:sqlite)', sqlite, {}, sqlite);
    const comparedOk = await compareWithBetterSqlite3(dir, sqlite, nodeSqlite.loadSeconds);
    ok = nodeSqlite.ok && comparedOk && ok;
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
      ok = (await bench('PostgreSQL', url, { schema }, cliSpec)).ok && ok;
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
