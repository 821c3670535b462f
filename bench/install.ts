// Installing the published artefact: `npm install -g` of the packed tarball into an empty prefix, with npm's
// cache warm (it holds every package already) and cold (a new, empty cache: every package comes from the
// registry, which this bench therefore needs), its wall time and the prefix's size; then the wall time of
// `tc-canary --version` run from the installed package. For two commits side by side, BEFORE (default main)
// and AFTER (default HEAD), each exported clean (git archive), installed (npm ci) and packed as a release is.
//
//   npm run build && node dist/bench/install.js [BEFORE] [AFTER] [ROUNDS]
//
// Once this branch is merged, name the commit before the merge as BEFORE.

import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mb, median } from './figures.js';

const [BEFORE = 'main', AFTER = 'HEAD'] = process.argv.slice(2);
const ROUNDS = Number(process.argv[4] ?? 2);
const VERSION_CALLS = 10;
const PROJECT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * npm, npx and the installed `#!/usr/bin/env node` bin on this bench's Node; a native dependency (before) is
 * compiled against that Node's headers, whatever nodedir npm is configured with.
 */
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  npm_config_nodedir: dirname(dirname(process.execPath)),
};

const npm = (args: readonly string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** The apparent size of every file below dir. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, file) => sum + lstatSync(join(dir, file)).size, 0);
}

interface Packed {
  label: string;
  tarball: string;
}

/** The commit exported, installed and packed in a folder of its own. */
function pack(ref: string, work: string): Packed {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: PROJECT, encoding: 'utf8' }).trim();
  const label = `${ref} (${commit})`;
  const dir = join(work, `source-${commit}`);
  mkdirSync(dir);
  console.log(`${label}: exporting, npm ci and npm pack`);
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: PROJECT });
  npm(['ci'], dir);
  const [{ filename }] = JSON.parse(npm(['pack', '--ignore-scripts', '--json'], dir)) as [{ filename: string }];
  return { label, tarball: join(dir, filename) };
}

interface Installed {
  seconds: number;
  bytes: number;
  bin: string;
}

/** npm install -g of the tarball into a new empty prefix, with npm's own cache or the one given. */
function install(packed: Packed, work: string, cache?: string): Installed {
  const prefix = mkdtempSync(join(work, 'prefix-'));
  const started = performance.now();
  npm(['install', '--global', '--prefix', prefix, '--omit=dev', ...(cache ? ['--cache', cache] : []), packed.tarball], work);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: bytesUnder(prefix), bin: join(prefix, 'bin', 'tc-canary') };
}

/** `tc-canary --version` from the installed bin, start to exit, in ms. */
function versionWall(bin: string): number {
  const started = performance.now();
  const result = spawnSync(bin, ['--version'], { env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${bin} --version exited ${result.status}`);
  return performance.now() - started;
}

interface Figures {
  warm: number[];
  cold: number[];
  bytes: number;
  tarballBytes: number;
  bin: string;
}

function measure(packed: Packed, work: string): Figures {
  console.log(`${packed.label}: ${ROUNDS} installs with a warm cache, ${ROUNDS} with a cold one`);
  // Fills npm's cache with everything the tarball needs, so that the warm installs find it there.
  const primed = install(packed, work);
  const warm = Array.from({ length: ROUNDS }, () => install(packed, work).seconds);
  const cold = Array.from({ length: ROUNDS }, () => install(packed, work, mkdtempSync(join(work, 'cache-'))).seconds);
  return { warm, cold, bytes: primed.bytes, tarballBytes: lstatSync(packed.tarball).size, bin: primed.bin };
}

const work = mkdtempSync(join(tmpdir(), 'tc-canary-bench-install-'));
try {
  const sides = [BEFORE, AFTER].map((ref) => pack(ref, work));
  const figures = sides.map((packed) => measure(packed, work));
  // The two bins in turn, so that the machine's other work weighs on both alike.
  const version: number[][] = [[], []];
  for (let i = 0; i < VERSION_CALLS; i++) figures.forEach((side, n) => version[n]!.push(versionWall(side.bin)));

  const seconds = (values: number[]) => `${median(values).toFixed(1)} s (${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)})`;
  const rows: [string, (side: Figures, n: number) => string][] = [
    ['tarball', (side) => mb(side.tarballBytes)],
    ['install, warm cache (median, min-max)', (side) => seconds(side.warm)],
    ['install, cold cache (median, min-max)', (side) => seconds(side.cold)],
    ['installed prefix', (side) => mb(side.bytes)],
    [`tc-canary --version (median of ${VERSION_CALLS})`, (_side, n) => `${median(version[n]!).toFixed(0)} ms`],
  ];
  console.log(`\n${''.padEnd(38)}${sides.map((side) => side.label.padStart(22)).join('')}`);
  for (const [name, figure] of rows) console.log(`${name.padEnd(38)}${figures.map((side, n) => figure(side, n).padStart(22)).join('')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
