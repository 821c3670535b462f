// Start-up: what a one-shot process pays before its first request. Side by side, interleaved, each timed from
// spawn to exit: bare `node -e 0` against the built CLI's `--help` and `--version`, and a bare Node fetch of a
// ping URL against `run --check ping.queue` of that deployment (the run's preflight reads its version too),
// without and with its default SQLite history. The run is measured against two loopback deployments (see
// local-deployment.ts): one that answers at once, where only CPU counts, and one a network away, as a real one
// is (network-distance.ts).
// Targets: `--help` at most 2.5 x `node -e 0`; `run` of one ping at most 1.5 x the bare fetch.
//
//   npm run build && node dist/bench/startup.js [ROUNDS]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_CLI, median, timedNode, verdict } from './figures.js';
import { startLocalDeployment, type LocalDeployment } from './local-deployment.js';
import { A_NETWORK_AWAY } from './network-distance.js';

const ROUNDS = Number(process.argv[2] ?? 15);
const HELP_TARGET = 2.5;
const RUN_TARGET = 1.5;

/** No credentials, root URL or config from the bench's own environment. */
const { TASKCLUSTER_CLIENT_ID: _i, TASKCLUSTER_ACCESS_TOKEN: _t, TASKCLUSTER_ROOT_URL: _r, TC_CANARY_HISTORY: _h, TC_CANARY_CONFIG: _c, PULSE_URL: _p, ...env } = process.env;

const timed = (args: readonly string[], cwd: string) => timedNode(args, { cwd, env });

const deployments: Record<string, LocalDeployment> = {
  'at once': await startLocalDeployment(),
  [`${A_NETWORK_AWAY.delayMs} ms away`]: await startLocalDeployment(A_NETWORK_AWAY),
};
const cwd = mkdtempSync(join(tmpdir(), 'tc-canary-startup-'));

const variants: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'tc-canary --help': [BUILT_CLI, '--help'],
  'tc-canary --version': [BUILT_CLI, '--version'],
};
for (const [where, deployment] of Object.entries(deployments)) {
  const runArgs = [BUILT_CLI, 'run', '--root-url', deployment.rootUrl, '--check', 'ping.queue'];
  variants[`bare fetch of the ping URL (${where})`] = ['--input-type=module', '-e', 'const response = await fetch(process.argv[1]); await response.json();', `${deployment.rootUrl}/api/queue/v1/ping`];
  variants[`run --check ping.queue --no-history (${where})`] = [...runArgs, '--no-history'];
  variants[`run --check ping.queue, SQLite history (${where})`] = runArgs;
}

try {
  const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
  for (const args of Object.values(variants)) await timed(args, cwd); // warm-up: the file system and compile caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(variants)) times.get(name)!.push(await timed(args, cwd));
  }
  const medianOf = (name: string) => median(times.get(name)!);
  console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds, median wall from spawn to exit:`);
  for (const name of times.keys()) console.log(`  ${name.padEnd(52)} ${medianOf(name).toFixed(0).padStart(5)} ms`);
  const ratio = (name: string, base: string, target: number) => {
    const value = medianOf(name) / medianOf(base);
    console.log(`${name} / ${base}: ${value.toFixed(2)} (target <= ${target}) ${verdict(value <= target)}`);
  };
  ratio('tc-canary --help', 'node -e 0', HELP_TARGET);
  ratio('tc-canary --version', 'node -e 0', HELP_TARGET);
  for (const where of Object.keys(deployments)) {
    ratio(`run --check ping.queue --no-history (${where})`, `bare fetch of the ping URL (${where})`, RUN_TARGET);
    ratio(`run --check ping.queue, SQLite history (${where})`, `bare fetch of the ping URL (${where})`, RUN_TARGET);
  }
} finally {
  for (const deployment of Object.values(deployments)) deployment.close();
  rmSync(cwd, { recursive: true, force: true });
}
