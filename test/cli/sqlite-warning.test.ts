// On Node 22 loading node:sqlite prints an ExperimentalWarning; the CLI, which loads it to record its history,
// keeps stderr clean of that one warning and of nothing else. (On Node 24 and later node:sqlite no longer warns,
// and the first test proves only that stderr stays clean: CI runs the suite on 22 as well.)

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';

const QUIET = fileURLToPath(new URL('../../dist/src/cli/quiet-sqlite-warning.js', import.meta.url));
const SQLITE_WARNING = 'SQLite is an experimental feature';
const run = promisify(execFile);
/** stderr of a Node script on this test's own Node, with the preloads given. */
const stderrOf = async (script: string, imports: string[] = []) =>
  (await run(process.execPath, [...imports.flatMap((file) => ['--import', file]), '-e', script])).stderr;

let deployment: FakeDeployment;
let dir: string;
beforeAll(async () => {
  deployment = await FakeDeployment.start();
  dir = projectDir(`rootUrl: ${deployment.rootUrl}\nservices: [queue]\nhistory: sqlite:tc-canary.db\n`);
});
afterAll(async () => {
  await deployment.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a run that records its history writes no warning to stderr', async () => {
  const nodeWarns = (await stderrOf("require('node:sqlite')")).includes(SQLITE_WARNING);
  expect(nodeWarns).toBe(process.versions.node.startsWith('22.'));

  const { code, stdout, stderr } = await runCli(['run', '--check', 'ping.queue'], { cwd: dir });
  expect(code).toBe(0);
  expect(stdout).toContain('PASS  ping.queue');
  // Its one line: no credentials were given.
  expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/running anonymously$/)]);
});

it('drops only that warning: any other one is printed as Node prints it', async () => {
  const stderr = await stderrOf(
    "process.emitWarning('another feature is experimental', 'ExperimentalWarning'); require('node:sqlite'); process.emitWarning('careful')",
    [QUIET]);
  expect(stderr).not.toContain(SQLITE_WARNING);
  expect(stderr).toContain('ExperimentalWarning: another feature is experimental');
  expect(stderr).toContain('Warning: careful');
});
