// `tc-canary compare` over a month of history: 1,000,000 results of 50 checks (20,000 runs) on 10 versions
// (v74.0.0 .. v74.0.9, three days each) in SQLite, the last version twice as slow on ping.service0. Times the
// store call (compareVersions: latest against previous) and the built CLI's `compare --since 30d --json` as a
// process, start to exit; and says what it found (the one slowed metric regressed, everything else the same).
// Target: the CLI's p95 under 500 ms.
//
//   npm run build && node dist/bench/compare.js [RESULTS]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions } from '../src/compare/comparison.js';
import { DEFAULT_COMPARE_SETTINGS } from '../src/compare/verdict.js';
import { openHistory } from '../src/history/open.js';
import { BUILT_CLI, percentile, verdict } from './figures.js';
import { CHECKS, DAY, loadMonth, ms, timeCommand, timeIt } from './seed-history.js';

const RESULTS = Number(process.argv[2] ?? 1_000_000);
const VERSIONS = 10;
const SLOWED = 'ping.service0';
const STORE_CALLS = 20;
const CLI_CALLS = 20;
const TARGET_CLI_P95_MS = 500;
const NOW = Date.now();

const versionOf = (run: number, runs: number) => `v74.0.${Math.min(VERSIONS - 1, Math.floor((run * VERSIONS) / runs))}`;
const slowdownOf = (run: number, runs: number, checkId: string) => (checkId === SLOWED && versionOf(run, runs) === `v74.0.${VERSIONS - 1}` ? 2 : 1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tc-canary-bench-compare-'));
  try {
    const spec = `sqlite:${join(dir, 'history.db')}`;
    console.log(`SQLite: loading ${RESULTS.toLocaleString('en')} results of ${CHECKS} checks over 30 days on ${VERSIONS} versions`);
    const store = await openHistory(spec, { clock: { now: () => NOW } });
    let found: string;
    try {
      const seconds = await loadMonth(store, { results: RESULTS, now: NOW, versionOf, slowdownOf });
      console.log(`  loaded in ${seconds.toFixed(1)} s (${Math.round(RESULTS / seconds).toLocaleString('en')} results/s)`);
      const request = { baseline: 'previous', current: 'latest', since: NOW - 30 * DAY, settings: DEFAULT_COMPARE_SETTINGS };
      const calls = await timeIt(STORE_CALLS, () => compareVersions(store, request));
      console.log(`  compareVersions (store):   p50 ${ms(percentile(calls, 50))}, p95 ${ms(percentile(calls, 95))}`);
      const comparison = await compareVersions(store, request);
      const verdicts = comparison.checks.flatMap((check) => [...check.metrics.map((m) => [`${check.checkId} ${m.metric}`, m.verdict, m.current.n]), ...check.rates.map((r) => [`${check.checkId} ${r.rate} rate`, r.verdict, r.current.total])]);
      const notSame = verdicts.filter(([, v]) => v !== 'same').map(([name, v]) => `${name} ${v}`);
      found = `${comparison.baseline?.version} -> ${comparison.current?.version}: ${notSame.join(', ') || 'nothing'} (of ${verdicts.length} verdicts; ${verdicts.length - notSame.length} same; each metric ${verdicts[0]?.[2]} values a side)`;
    } finally {
      await store.close();
    }
    console.log(`  found: ${found}`);

    // The process answers 1: a metric regressed.
    const cli = await timeCommand(CLI_CALLS, ['compare', '--since', '30d', '--json'], spec, [1]);
    const ok = percentile(cli, 95) < TARGET_CLI_P95_MS;
    console.log(`  compare --since 30d --json (CLI): p50 ${ms(percentile(cli, 50))}, p95 ${ms(percentile(cli, 95))}, max ${ms(percentile(cli, 100))}` +
      ` (process start to exit; target p95 < ${TARGET_CLI_P95_MS} ms: ${verdict(ok)})`);
    // Side by side: what a process that does nothing but start costs here.
    const bare = await timeIt(CLI_CALLS, async () => { execFileSync(process.execPath, [BUILT_CLI, '--version']); });
    console.log(`  tc-canary --version (CLI start alone): p50 ${ms(percentile(bare, 50))}, p95 ${ms(percentile(bare, 95))}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
