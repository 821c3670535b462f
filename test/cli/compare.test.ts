// After a release, as an operator runs it: the built CLI's `run --repeat 5 --compare previous` against a
// loopback deployment, once on 74.0.0 and once on 74.0.1 whose queue answers ping 300 ms later. The slowed
// metric (ping.queue's response_ms) is regressed, every other metric and rate the same, and the second run exits 1.

import { XMLParser } from 'fast-xml-parser';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open.js';
import { comparisonSchemaErrors } from '../report/schema.js';
import { projectDir, runCli } from '../support/cli-process.js';
import { fixture, versionBody } from '../support/deployment.js';
import { FakeDeployment } from '../support/fake-deployment.js';

let deployment: FakeDeployment;
let dir: string;
beforeEach(async () => {
  deployment = await FakeDeployment.start();
  dir = projectDir('services: [queue, auth, index]\nhistory: sqlite:history.db\n');
});
afterEach(async () => {
  await deployment.close();
  rmSync(dir, { recursive: true, force: true });
});

const onVersion = (version: string) => deployment.set('/__version__', { status: 200, body: { ...versionBody(), version } });
const runBatch = () => runCli(['run', '--root-url', deployment.rootUrl, '--check', 'ping.*', '--repeat', '5', '--compare', 'previous'], { cwd: dir });

test('run --repeat 5 --compare previous: a queue slowed by a release is regressed on exactly its metric, and the run exits 1', { timeout: 120_000 }, async () => {
  onVersion('74.0.0');
  const first = await runBatch();
  expect(first.stderr).not.toMatch(/crashed/);
  // Nothing before 74.0.0 to compare with: said, and no reason to fail.
  expect(first.stdout).toMatch(/not enough data: no version seen before 74\.0\.0 since .* has 5 runs/);
  expect(first.code).toBe(0);

  onVersion('74.0.1');
  deployment.set('/api/queue/v1/ping', { status: 200, body: fixture('ping.json').queue, delayMs: 300 });
  const second = await runBatch();
  expect(second.stdout).toMatch(/baseline previous: 74\.0\.0 \(5 runs, /);
  expect(second.stdout).toMatch(/current {2}latest: 74\.0\.1 \(5 runs, /);
  const lines = second.stdout.split('\n');
  const queue = lines.indexOf('ping.queue  regressed');
  expect(queue, second.stdout).toBeGreaterThan(0);
  expect(lines[queue + 1]).toMatch(/^ {2}response_ms {2}p50 \d+(\.\d+)? -> 3\d\d ms \(x\d+, p=0\.008\) .* n 5\/5 {2}regressed$/);
  expect(lines).toContain('ping.auth  same');
  expect(lines).toContain('ping.index  same');
  expect(second.stdout).toMatch(/^1 regressed, 0 improved, 11 same, 0 not enough data/m);
  expect(second.code).toBe(1);

  // `tc-canary compare` says the same, as JSON (against its schema) and as JUnit, where the slowed metric is the
  // one failed test case.
  const compare = await runCli(['compare', '--json', '--junit', 'compare.xml'], { cwd: dir });
  expect(compare.code).toBe(1);
  const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(path.join(dir, 'compare.xml'), 'utf8'));
  const cases = junit.testsuites.testsuite.testcase as { name: string; failure?: unknown }[];
  expect(cases.filter((c) => 'failure' in c).map((c) => c.name)).toEqual(['compare.ping.queue.response_ms']);
  expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['compare.ping.auth.response_ms', 'compare.ping.index.response_ms', 'compare.ping.queue.failed_rate']));

  const document = JSON.parse(compare.stdout);
  expect(comparisonSchemaErrors(document)).toEqual([]);
  const verdicts = document.comparison.checks.flatMap((check: { checkId: string; metrics: { metric: string; verdict: string }[]; rates: { rate: string; verdict: string }[] }) => [
    ...check.metrics.map((m) => [`${check.checkId} ${m.metric}`, m.verdict]),
    ...check.rates.map((r) => [`${check.checkId} ${r.rate} rate`, r.verdict]),
  ]);
  expect(verdicts.filter(([, verdict]: string[]) => verdict !== 'same')).toEqual([['ping.queue response_ms', 'regressed']]);
  expect(verdicts).toHaveLength(12);

  // Ten runs of their own, in two run groups of five.
  const store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`);
  try {
    const runs = await store.recentRuns(20);
    expect(runs).toHaveLength(10);
    const groups = new Map<string | undefined, number>();
    for (const run of runs) groups.set(run.runGroup, (groups.get(run.runGroup) ?? 0) + 1);
    expect([...groups.values()]).toEqual([5, 5]);
    expect(groups.has(undefined)).toBe(false);
  } finally {
    await store.close();
  }
});

test('--compare without the history, or a bad --repeat, is a usage error (exit 2)', async () => {
  const noHistory = await runCli(['run', '--root-url', deployment.rootUrl, '--check', 'ping.queue', '--no-history', '--compare', 'previous'], { cwd: dir });
  expect(noHistory.code).toBe(2);
  expect(noHistory.stderr).toContain('--compare: compares what the history recorded: it cannot be used with --no-history');
  const badRepeat = await runCli(['run', '--root-url', deployment.rootUrl, '--repeat', '0'], { cwd: dir });
  expect(badRepeat.code).toBe(2);
  expect(badRepeat.stderr).toContain("option '--repeat <n>' argument '0' is invalid. expected a whole number from 1 to 1000");
  const unknown = await runCli(['compare', '--baseline', '73.0.0'], { cwd: dir });
  expect(unknown.code).toBe(0);
  expect(unknown.stderr).toMatch(/no history at .*history\.db yet/);
});
