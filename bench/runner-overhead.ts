// Runner overhead: 500 no-op checks, and 50 ping checks against a loopback HTTP server that answers every
// request after a fixed 20 ms. Prints the runner's overhead per check and suite wall / longest check.
// Targets: overhead under 1 ms per check; wall at most 1.1 x the longest check + 50 ms when concurrency allows.
// Run: npm run build && node dist/bench/runner-overhead.js

import { ping } from '../checks/ping.js';
import { defineCheck, type AnyCheck } from '../src/check/define.js';
import { defaultParams } from '../src/check/params.js';
import { Redactor } from '../src/redact.js';
import type { RunReporter } from '../src/report/reporter.js';
import { runChecks } from '../src/runner/run.js';
import { median } from './figures.js';
import { startLocalDeployment } from './local-deployment.js';

const DELAY_MS = 20;

/** Suite wall from the first check's start to the last one's end, so preflight is not counted. */
function suiteTimer(): RunReporter & { wallMs(): number } {
  let first = 0;
  let last = 0;
  return {
    onCheckStart() { first ||= performance.now(); },
    onCheckEnd() { last = performance.now(); },
    wallMs: () => last - first,
  };
}

async function timedRun(rootUrl: string, checks: AnyCheck[], concurrency: number) {
  const timer = suiteTimer();
  const run = await runChecks({
    checks: checks.map((check) => ({ check, params: defaultParams(check.params ?? {}) })),
    rootUrl, credentials: undefined, concurrency, reporters: [timer], redactor: new Redactor(), toolVersion: 'bench',
  });
  if (run.outcome !== 'passed') throw new Error(`bench run failed: ${JSON.stringify(run.summary)}`);
  return { wallMs: timer.wallMs(), longestMs: Math.max(...run.checks.map((c) => c.durationMs)), run };
}

const deployment = await startLocalDeployment({ delayMs: DELAY_MS, newConnectionDelayMs: 0 });
const { rootUrl } = deployment;
try {
  const noops = Array.from({ length: 500 }, (_, i) => defineCheck({ id: `bench.noop-${i}`, description: 'no-op', async run() {} }));
  await timedRun(rootUrl, noops, 1); // warm-up
  const sequential: number[] = [];
  const concurrent: number[] = [];
  for (let round = 0; round < 5; round++) {
    sequential.push((await timedRun(rootUrl, noops, 1)).wallMs / noops.length);
    concurrent.push((await timedRun(rootUrl, noops, 8)).wallMs / noops.length);
  }
  console.log(`500 no-op checks: runner overhead per check, median of 5: ${median(sequential).toFixed(3)} ms sequential, ${median(concurrent).toFixed(3)} ms at concurrency 8 (target < 1 ms)`);

  const services = Array.from({ length: 50 }, (_, i) => `svc${i}`);
  const pings = ping({ services, pools: [] });
  await timedRun(rootUrl, pings, 50); // warm-up
  const ratios: number[] = [];
  const margins: number[] = [];
  for (let round = 0; round < 5; round++) {
    const { wallMs, longestMs } = await timedRun(rootUrl, pings, 50);
    ratios.push(wallMs / longestMs);
    margins.push(wallMs - (1.1 * longestMs + 50));
  }
  console.log(`50 ping checks (4 requests each, ${DELAY_MS} ms server delay), concurrency 50: suite wall / longest check, median of 5: ${median(ratios).toFixed(3)}; wall - (1.1 x longest + 50 ms): ${median(margins).toFixed(1)} ms (target <= 0)`);
} finally {
  deployment.close();
}
