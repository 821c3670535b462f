// Task latency: what tc-canary adds to the deployment's own latency when it waits on a task. Against a
// loopback queue that plays real timings (played-queue.ts: claimed CLAIM_MS after createTask, resolved
// RESOLVE_MS later, each transition published on the real broker), with Pulse task events and without:
//   - observe_lag_ms (seen resolved − the queue's `resolved`) p50/p95 over TASKS runs of queue.built-in-succeed
//     in one process, and the queue.status reads they cost;
//   - the wall of the built CLI's `run --check queue.built-in-succeed` from spawn to exit (median of ROUNDS,
//     interleaved), beside `node -e 0`: the floor is the deployment's latency plus Node's start. Against the
//     queue and broker on loopback, answering at once, and both a network away (network-distance.ts: the
//     queue's answers late, a new connection's first later still; distant-broker.ts: each AMQP round trip as
//     late), where the deployment's latency includes createTask's round trip on a new connection.
// Targets: observe_lag_ms p95 < 50 ms with Pulse; the run's wall <= 1.2 x (deployment latency + process start).
//
//   eval "$(bash scripts/services.sh)" && npm run build && node dist/bench/task-latency.js [TASKS] [ROUNDS] [CLAIM_MS] [RESOLVE_MS]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInSucceed } from '../checks/queue-built-in.js';
import { defaultParams } from '../src/check/params.js';
import { PulseConnection } from '../src/pulse/connection.js';
import { parsePulseUrl } from '../src/pulse/settings.js';
import { Redactor } from '../src/redact.js';
import { runChecks } from '../src/runner/run.js';
import { startDistantBroker, type DistantBroker } from './distant-broker.js';
import { BUILT_CLI, median, percentile, timedNode, verdict } from './figures.js';
import { A_NETWORK_AWAY, LOOPBACK, type NetworkDistance } from './network-distance.js';
import { PlayedQueue } from './played-queue.js';

const [TASKS, ROUNDS, CLAIM_MS, RESOLVE_MS] = [50, 7, 300, 50].map((fallback, i) => Number(process.argv[2 + i] ?? fallback)) as [number, number, number, number];
const LAG_TARGET_MS = 50;
const WALL_TARGET = 1.2;

const amqpUrl = process.env.TC_CANARY_TEST_AMQP_URL;
const amqpAdminUrl = process.env.TC_CANARY_TEST_AMQP_ADMIN_URL;
if (!amqpUrl || !amqpAdminUrl) throw new Error('TC_CANARY_TEST_AMQP_URL and TC_CANARY_TEST_AMQP_ADMIN_URL are not set: eval "$(bash scripts/services.sh)" first');

const credentials = { clientId: 'bench', accessToken: 'bench-token' };
const { TASKCLUSTER_ROOT_URL: _r, TC_CANARY_HISTORY: _h, TC_CANARY_CONFIG: _c, PULSE_URL: _p, ...baseEnv } = process.env;
const cliEnv = { ...baseEnv, TASKCLUSTER_CLIENT_ID: credentials.clientId, TASKCLUSTER_ACCESS_TOKEN: credentials.accessToken };

/** observe_lag_ms of each run and the status reads of each task, TASKS sequential runs in this process. */
async function lagsInProcess(played: PlayedQueue, pulse: PulseConnection | undefined): Promise<{ lags: number[]; reads: number[] }> {
  const lags: number[] = [];
  for (let i = 0; i < TASKS; i++) {
    const run = await runChecks({
      checks: [{ check: builtInSucceed, params: defaultParams(builtInSucceed.params!) }],
      rootUrl: played.rootUrl, credentials, concurrency: 1, reporters: [], redactor: new Redactor(), toolVersion: 'bench', pulse,
    });
    const [result] = run.checks;
    if (result?.outcome !== 'passed') throw new Error(`queue.built-in-succeed ${result?.outcome}: ${JSON.stringify(result?.attempts.at(-1)?.error)}`);
    lags.push(result.metrics.observe_lag_ms!.value);
  }
  return { lags, reads: [...played.statusReads.values()] };
}

const timed = (args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) => timedNode(args, { cwd, env });

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
};

const distances: Record<string, NetworkDistance> = { 'at once': LOOPBACK, [`${A_NETWORK_AWAY.delayMs} ms away`]: A_NETWORK_AWAY };
const queues = Object.fromEntries(await Promise.all(Object.entries(distances).map(async ([where, distance]) =>
  [where, await PlayedQueue.start({ claimDelayMs: CLAIM_MS, resolveDelayMs: RESOLVE_MS, amqpUrl: amqpAdminUrl, distance })] as const)));
const brokers: Record<string, DistantBroker | undefined> = Object.fromEntries(await Promise.all(Object.entries(distances).map(async ([where, distance]) =>
  [where, distance.delayMs > 0 ? await startDistantBroker(amqpUrl, distance) : undefined] as const)));
const played = queues['at once']!;
const cwd = mkdtempSync(join(tmpdir(), 'tc-canary-task-latency-'));
const pulse = new PulseConnection(parsePulseUrl(amqpUrl));
try {
  console.log(`Node ${process.version}; played queue: claimed ${CLAIM_MS} ms after createTask, resolved ${RESOLVE_MS} ms later`);

  const withPulse = await lagsInProcess(played, pulse);
  played.statusReads.clear();
  const withoutPulse = await lagsInProcess(played, undefined);
  console.log(`observe_lag_ms over ${TASKS} tasks each (seen resolved − the queue's resolved), and queue.status reads per task (the wait's; the cleanup reads none of a task the wait saw resolved):`);
  for (const [name, { lags, reads }] of [['with Pulse', withPulse], ['without Pulse', withoutPulse]] as const) {
    const lag = summary(lags);
    console.log(`  ${name.padEnd(14)} p50 ${lag.p50} ms, p95 ${lag.p95} ms, max ${lag.max} ms; status reads per task median ${median(reads)}`);
  }
  const lagP95 = summary(withPulse.lags).p95;
  console.log(`observe_lag_ms p95 with Pulse: ${lagP95} ms (target < ${LAG_TARGET_MS} ms) ${verdict(lagP95 < LAG_TARGET_MS)}`);

  const variants: Record<string, { args: string[]; env: NodeJS.ProcessEnv }> = { 'node -e 0': { args: ['-e', '0'], env: baseEnv } };
  for (const [where, queue] of Object.entries(queues)) {
    const runArgs = [BUILT_CLI, 'run', '--root-url', queue.rootUrl, '--check', 'queue.built-in-succeed', '--no-history'];
    variants[`run, with Pulse (${where})`] = { args: runArgs, env: { ...cliEnv, PULSE_URL: brokers[where]?.url ?? amqpUrl } };
    variants[`run, without Pulse (${where})`] = { args: runArgs, env: cliEnv };
  }
  const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
  for (const { args, env } of Object.values(variants)) await timed(args, env, cwd); // warm-up: the file system and compile caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, { args, env }] of Object.entries(variants)) times.get(name)!.push(await timed(args, env, cwd));
  }
  const wall = (name: string) => median(times.get(name)!);
  console.log(`wall from spawn to exit, median of ${ROUNDS} interleaved rounds:`);
  for (const name of times.keys()) console.log(`  ${name.padEnd(36)} ${wall(name).toFixed(0).padStart(5)} ms`);
  for (const [where, distance] of Object.entries(distances)) {
    const createTaskTrip = distance.delayMs + distance.newConnectionDelayMs;
    const floor = createTaskTrip + CLAIM_MS + RESOLVE_MS + wall('node -e 0');
    const ratio = wall(`run, with Pulse (${where})`) / floor;
    console.log(`${where}: run with Pulse / without: ${(wall(`run, with Pulse (${where})`) / wall(`run, without Pulse (${where})`)).toFixed(2)}; `
      + `with Pulse / (deployment latency ${createTaskTrip ? `${createTaskTrip} + ` : ''}${CLAIM_MS + RESOLVE_MS} ms + node start = ${floor.toFixed(0)} ms): ${ratio.toFixed(2)} (target <= ${WALL_TARGET}) ${verdict(ratio <= WALL_TARGET)}`);
  }
} finally {
  await pulse.close();
  for (const queue of Object.values(queues)) await queue.close();
  for (const broker of Object.values(brokers)) await broker?.close();
  rmSync(cwd, { recursive: true, force: true });
}
