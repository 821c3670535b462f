// `tc-canary serve` as the process operators run: the built CLI, serving CHECKS no-op checks (a checks file in
// a checksDir, each once a minute, spread over the seconds of the minute) against a loopback deployment, with
// its SQLite history, default concurrency and one log line per result. Everything is read from the service's
// own /metrics: RSS when it is ready, then each minute (target: growth under 10 %), the
// scheduler's start delay from its histogram (target: p99 under 50 ms: the share of starts within 50 ms must
// be at least 99 %), and the results recorded against the runs due. Several runs, each a fresh process; medians.
//
// `load` mode: the same service (CHECKS checks, default 30, each every 10 s) for a quiet phase, then an equally long phase with
// a second process (http-load.ts) keeping CONNECTIONS (default 50) connections busy on /, /status.json and
// /metrics; the start delay of each phase, and what the load got. Side by side: first without the read
// snapshot (--snapshot-max-age 0s: every request reads the history), then with it (the default).
//
//   npm run build && node dist/bench/serve.js [CHECKS] [MINUTES] [RUNS]
//   npm run build && node dist/bench/serve.js load [CHECKS] [PHASE_SECONDS] [CONNECTIONS]

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BUILT_CLI, growth, mb, median, pct, sleep, verdict } from './figures.js';
import type { LoadReport } from './http-load.js';
import { startLocalDeployment } from './local-deployment.js';

const run = promisify(execFile);
const LOAD_GENERATOR = fileURLToPath(new URL('./http-load.js', import.meta.url));
/** Bounds the load generator by count as well as by time. */
const MAX_LOAD_REQUESTS = 2_000_000;

const TARGET_DELAY_S = 0.05;
const TARGET_RSS_GROWTH = 0.1;

/** What one scrape of /metrics says. */
interface Scrape {
  rss: number;
  heapUsed: number;
  /** CPU time the process used (user + system), seconds. */
  cpuSeconds: number;
  /** When the scrape was taken (ms). */
  atMs: number;
  results: number;
  /** Start delays: cumulative count per bucket bound (seconds), +Inf last. */
  delayBuckets: Array<[number, number]>;
}

function parseScrape(text: string): Scrape {
  const values = (name: string) => text.split('\n').filter((line) => line.startsWith(name)).map((line) => {
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))];
    return { series, value };
  });
  const one = (name: string) => values(`${name} `)[0]?.value ?? NaN;
  return {
    rss: one('process_resident_memory_bytes'),
    heapUsed: one('nodejs_heap_size_used_bytes'),
    cpuSeconds: one('process_cpu_seconds_total'),
    atMs: Date.now(),
    results: values('tc_canary_check_results_total{').reduce((sum, { value }) => sum + value, 0),
    delayBuckets: values('tc_canary_scheduler_start_delay_seconds_bucket{').map(({ series, value }) => {
      const le = /le="([^"]+)"/.exec(series)![1]!;
      return [le === '+Inf' ? Infinity : Number(le), value];
    }),
  };
}

/** Start delays between two scrapes: how many, the share within the target, and the bucket holding the p99. */
function delaysBetween(from: Scrape, to: Scrape) {
  const buckets = to.delayBuckets.map(([le, count], i) => [le, count - (from.delayBuckets[i]?.[1] ?? 0)] as const);
  const total = buckets.at(-1)![1];
  const withinTarget = buckets.find(([le]) => le === TARGET_DELAY_S)![1];
  const p99Bound = buckets.find(([, count]) => count >= 0.99 * total)![0];
  // The share of one core the service used: high under load means its own event loop was busy; low means the
  // delays came from waiting for a core (the load generator and everything else on the machine).
  const cpuShare = (to.cpuSeconds - from.cpuSeconds) / ((to.atMs - from.atMs) / 1000);
  return { total, shareWithinTarget: withinTarget / total, p99Bound, cpuShare };
}

interface Figures {
  ready: Scrape;
  firstMinute: Scrape;
  end: Scrape;
  /** RSS when ready, then after each minute. */
  rssByMinute: number[];
  due: number;
}

async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  return parseScrape(await response.text());
}


interface RunningServe {
  url: string;
  /** SIGTERM, and the exit code it ended with. */
  stop(): Promise<void>;
}

/** Each check once a minute, spread over the seconds of the minute. */
const ONCE_A_MINUTE = '`${i % 60} * * * * *`';

/**
 * The built CLI serving `checkCount` no-op checks against a fresh loopback deployment and SQLite history;
 * `schedule` is the source of a template literal giving check i its cron expression.
 */
async function startServe(checkCount: number, schedule = ONCE_A_MINUTE, extraArgs: readonly string[] = []): Promise<RunningServe> {
  const deployment = await startLocalDeployment();
  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-serve-'));
  mkdirSync(join(dir, 'checks'));
  writeFileSync(join(dir, 'checks', 'noop.mjs'), `export const noops = Array.from({ length: ${checkCount} }, (_, i) => ({
  id: \`bench.noop-\${i}\`, description: 'does nothing', schedule: ${schedule}, async run() {},
}));\n`);
  writeFileSync(join(dir, 'tc-canary.yml'), [
    `rootUrl: ${deployment.rootUrl}`,
    `checksDir: ${join(dir, 'checks')}`,
    `checks: {include: ['bench.*']}`,
    `history: sqlite:${join(dir, 'history.db')}`,
  ].join('\n'));
  // No credentials from the caller's environment reach the service.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TASKCLUSTER_')));
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--config', join(dir, 'tc-canary.yml'), '--listen', '127.0.0.1:0', ...extraArgs], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.error(`serve exited with ${code} on SIGTERM`);
    deployment.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The log's "serving N checks ... at URL" line says it is ready; the rest (a line per result) is read and dropped.
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const ready = / at (http:\/\/\S+)/.exec(line);
        if (ready && line.includes('serving')) resolve(ready[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code} before it was ready`)));
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function measure(checkCount: number, minutes: number): Promise<Figures> {
  const serve = await startServe(checkCount);
  try {
    const startedAt = Date.now();
    const scrapes = [await scrape(serve.url)];
    for (let minute = 1; minute <= minutes; minute += 1) {
      await sleep(startedAt + minute * 60_000 - Date.now());
      scrapes.push(await scrape(serve.url));
    }
    // Each check once a minute (every-minute checks get no startup run: their first slot is as soon).
    const due = Math.floor(((Date.now() - startedAt) / 60_000) * checkCount);
    return { ready: scrapes[0]!, firstMinute: scrapes[1]!, end: scrapes.at(-1)!, rssByMinute: scrapes.map((each) => each.rss), due };
  } finally {
    await serve.stop();
  }
}

function describe(f: Figures): string {
  const all = delaysBetween(f.ready, f.end);
  const steady = delaysBetween(f.firstMinute, f.end);
  return [
    `results ${f.end.results} of about ${f.due} due`,
    `start delay: ${pct(all.shareWithinTarget)} of ${all.total} starts within 50 ms, p99 <= ${all.p99Bound * 1000} ms${steady.total > 0 ? `; after the first minute ${pct(steady.shareWithinTarget)}, p99 <= ${steady.p99Bound * 1000} ms` : ''}`,
    `RSS ${mb(f.ready.rss)} ready, ${mb(f.firstMinute.rss)} after the first minute, ${mb(f.end.rss)} at the end: growth ${pct(growth(f.ready.rss, f.end.rss))} from ready, ${pct(growth(f.firstMinute.rss, f.end.rss))} after the first minute`,
    `heap used ${mb(f.ready.heapUsed)}, ${mb(f.firstMinute.heapUsed)}, ${mb(f.end.heapUsed)}`,
    `RSS when ready, then each minute: ${f.rssByMinute.map((rss) => (rss / 1024 / 1024).toFixed(0)).join(', ')} MB`,
  ].join('\n  ');
}

/** Each check every 10 s, spread over the 10 s: enough starts for a p99 from a catalogue as small as a real one. */
const EVERY_TEN_SECONDS = '`${i % 10}-59/10 * * * * *`';
/** What the load phase asks for, in turn on each connection. */
const LOAD_PATHS = ['/', '/status.json', '/metrics'];
/** The first results are in the history before the quiet phase begins, so the pages have something to show. */
const WARM_UP_MS = 10_000;

interface LoadFigures {
  quiet: ReturnType<typeof delaysBetween>;
  loaded: ReturnType<typeof delaysBetween>;
  load: LoadReport;
}

/** The load generator as its own process, so its work is not on the event loop being measured. */
async function generateLoad(url: string, connections: number, seconds: number): Promise<LoadReport> {
  const { stdout } = await run(process.execPath, [LOAD_GENERATOR, url, String(connections), String(seconds), String(MAX_LOAD_REQUESTS), ...LOAD_PATHS], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadReport;
}

/** Start delays over a quiet phase, then over an equally long one with the load generator running. */
async function measureLoad(checkCount: number, phaseSeconds: number, connections: number, serveArgs: readonly string[]): Promise<LoadFigures> {
  const serve = await startServe(checkCount, EVERY_TEN_SECONDS, serveArgs);
  try {
    await sleep(WARM_UP_MS);
    const before = await scrape(serve.url);
    await sleep(phaseSeconds * 1000);
    const quietEnd = await scrape(serve.url);
    const load = await generateLoad(serve.url, connections, phaseSeconds);
    const loadedEnd = await scrape(serve.url);
    return { quiet: delaysBetween(before, quietEnd), loaded: delaysBetween(quietEnd, loadedEnd), load };
  } finally {
    await serve.stop();
  }
}

function describeDelays(delays: ReturnType<typeof delaysBetween>): string {
  return `${pct(delays.shareWithinTarget)} of ${delays.total} starts within 50 ms, p99 <= ${delays.p99Bound * 1000} ms; serve used ${pct(delays.cpuShare)} of a core`;
}

function describeLoad(load: LoadReport): string {
  const paths = Object.entries(load.paths).map(([path, each]) =>
    `${path} ${each.requests} (${Object.entries(each.statuses).map(([status, n]) => `${n}x${status}`).join(' ')}) p50 ${each.p50Ms.toFixed(1)} ms p99 ${each.p99Ms.toFixed(1)} ms`);
  return `${load.requests} requests in ${load.seconds.toFixed(0)} s (${load.perSecond.toFixed(0)}/s): ${paths.join('; ')}`;
}

async function loadMode(args: readonly string[]): Promise<void> {
  const [checksArg = '30', secondsArg = '60', connectionsArg = '50'] = args;
  const [checkCount, phaseSeconds, connections] = [Number(checksArg), Number(secondsArg), Number(connectionsArg)];
  // Side by side in one run: the same service reading the history on every request, then with its snapshot.
  const variants = [
    { name: 'without the snapshot (--snapshot-max-age 0s)', args: ['--snapshot-max-age', '0s'] },
    { name: 'with the snapshot (default)', args: [] },
  ];
  const results: Array<{ name: string; figures: LoadFigures }> = [];
  for (const variant of variants) {
    const figures = await measureLoad(checkCount, phaseSeconds, connections, variant.args);
    results.push({ name: variant.name, figures });
    console.log(`${variant.name}:\n  quiet ${phaseSeconds} s: ${describeDelays(figures.quiet)}\n  under load: ${describeDelays(figures.loaded)}\n  load: ${describeLoad(figures.load)}`);
  }
  console.log(`(${availableParallelism()} cores, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} at the end)`);
  console.log(`serve, ${checkCount} checks, start delay p99 quiet and under ${connections} connections on ${LOAD_PATHS.join(' ')} from a second process (target p99 < 50 ms under load):`);
  for (const { name, figures } of results) {
    console.log(`  ${name}: quiet p99 <= ${figures.quiet.p99Bound * 1000} ms, loaded p99 <= ${figures.loaded.p99Bound * 1000} ms (${pct(figures.loaded.shareWithinTarget)} within 50 ms): ${verdict(figures.loaded.shareWithinTarget >= 0.99)}`);
  }
}

async function steadyMode(args: readonly string[]): Promise<void> {
  const [checksArg = '10000', minutesArg = '3', runsArg = '3'] = args;
  const checkCount = Number(checksArg);
  const minutes = Number(minutesArg);
  const all: Figures[] = [];
  for (let run = 1; run <= Number(runsArg); run += 1) {
    all.push(await measure(checkCount, minutes));
    console.log(`run ${run}: ${describe(all.at(-1)!)}`);
  }
  const shares = all.map((f) => delaysBetween(f.ready, f.end).shareWithinTarget);
  const fromReady = all.map((f) => growth(f.ready.rss, f.end.rss));
  const afterFirstMinute = all.map((f) => growth(f.firstMinute.rss, f.end.rss));
  console.log(`serve, ${checkCount} checks, ${minutes} minutes, median of ${all.length} runs:`);
  console.log(`  starts within 50 ms ${pct(median(shares))} (target >= 99 %, i.e. p99 < 50 ms): ${verdict(median(shares) >= 0.99)}`);
  console.log(`  RSS growth from ready ${pct(median(fromReady))} (target < ${pct(TARGET_RSS_GROWTH)}: ${verdict(median(fromReady) < TARGET_RSS_GROWTH)}), after the first minute ${pct(median(afterFirstMinute))} (${verdict(median(afterFirstMinute) < TARGET_RSS_GROWTH)})`);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'load') await loadMode(rest);
else await steadyMode(process.argv.slice(2));
