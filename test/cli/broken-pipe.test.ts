// `tc-canary run ... | head -3`: the reader stops reading and closes the pipe. The run goes on to its end and
// is recorded as usual; what it still had to print is dropped, with no crash and no stack trace.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli-process.js';
import { FakeDeployment } from '../support/fake-deployment.js';

let deployment: FakeDeployment;
beforeAll(async () => { deployment = await FakeDeployment.start(); });
afterAll(async () => { await deployment.close(); });

it('a run whose reader closed standard output finishes, exits with its own code and is in the history', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-pipe-'));
  const cli = startCli(['run', '--root-url', deployment.rootUrl, '--check', 'ping.*'], { cwd: dir });
  // The first line read, the reader goes away.
  cli.child.stdout!.once('data', () => cli.child.stdout!.destroy());
  expect(await cli.exited).toBe(0);
  expect(cli.stderr()).not.toMatch(/EPIPE|Unhandled|crashed/);

  const history = await runCli(['history', '--json'], { cwd: dir });
  expect(history.code).toBe(0);
  expect(history.stdout).toContain('ping.queue');
});
