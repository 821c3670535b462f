// `tc-canary serve` as the process operators run: the built CLI, serving CHECKS no-op checks (a checks file in
// a checksDir, each once a minute, spread over the seconds of the minute) against a loopback deployment, with
// its SQLite history, default concurrency and one log line per result. Everything is read from the service's
// own /metrics: RSS when it is ready, then each minute (target: growth under 10 %), the
// scheduler's start delay from its histogram (target: p99 under 50 ms: the share of starts within 50 ms must
// be at least 99 %), and the results recorded against the runs due. Several runs, each a fresh process; medians.
//
//   npm run build && node dist/bench/serve.js [CHECKS] [MINUTES] [RUNS]

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BUILT_CLI, growth, mb, median, pct, sleep, verdict } from './figures.js';
import { startLocalDeployment } from './local-deployment.js';

const TARGET_DELAY_S = 0.05;
const TARGET_RSS_GROWTH = 0.1;

/** What one scrape of /metrics says. */
interface Scrape {
  rss: number;
  heapUsed: number;
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
  return { total, shareWithinTarget: withinTarget / total, p99Bound };
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


async function measure(checkCount: number, minutes: number): Promise<Figures> {
  const deployment = await startLocalDeployment();
  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-serve-'));
  mkdirSync(join(dir, 'checks'));
  writeFileSync(join(dir, 'checks', 'noop.mjs'), `export const noops = () => Array.from({ length: ${checkCount} }, (_, i) => ({
  id: \`bench.noop-\${i}\`, description: 'does nothing', schedule: \`\${i % 60} * * * * *\`, async run() {},
}));\n`);
  writeFileSync(join(dir, 'tc-canary.yml'), [
    `rootUrl: ${deployment.rootUrl}`,
    `checksDir: ${join(dir, 'checks')}`,
    `checks: {include: ['bench.*']}`,
    `history: sqlite:${join(dir, 'history.db')}`,
  ].join('\n'));
  // No credentials from the caller's environment reach the service.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TASKCLUSTER_')));
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--config', join(dir, 'tc-canary.yml'), '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    // The log's "serving N checks ... at URL" line says it is ready; the rest (a line per result) is read and dropped.
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const ready = / at (http:\/\/\S+)/.exec(line);
        if (ready && line.includes('serving')) resolve(ready[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code} before it was ready`)));
    });
    const startedAt = Date.now();
    const scrapes = [await scrape(url)];
    for (let minute = 1; minute <= minutes; minute += 1) {
      await sleep(startedAt + minute * 60_000 - Date.now());
      scrapes.push(await scrape(url));
    }
    // Each check once a minute (every-minute checks get no startup run: their first slot is as soon).
    const due = Math.floor(((Date.now() - startedAt) / 60_000) * checkCount);
    return { ready: scrapes[0]!, firstMinute: scrapes[1]!, end: scrapes.at(-1)!, rssByMinute: scrapes.map((each) => each.rss), due };
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.error(`serve exited with ${code} on SIGTERM`);
    deployment.close();
    rmSync(dir, { recursive: true, force: true });
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

const [checksArg = '10000', minutesArg = '3', runsArg = '3'] = process.argv.slice(2);
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
