// The deployment's versions on the dashboard, over a real SQLite history served by the real dashboard: every
// plot of a check (and of a pool) carries the version changes it draws as labelled vertical lines, says them in
// its caption, and a check page compares its metrics on the newest version against the one before.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDashboard } from '../../src/dashboard/dashboard.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { checkResult, runMeta } from '../history/results.js';
import { serveDashboard, type TestServer } from './server.js';

const NOW = Date.parse('2025-03-31T12:00:00.000Z');
const MINUTE = 60_000;
const RELEASE = NOW - 60 * MINUTE;
const CLAIM = 'pool.proj/type.claim';

let dir: string;
let store: HistoryStore;
let server: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-dashboard-versions-'));
  store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`, { clock: { now: () => NOW } });
  // 74.0.0 for two hours, then 74.0.1 for the last hour, with the queue three times slower.
  for (let i = 0; i < 18; i++) {
    const at = NOW - 3 * 60 * MINUTE + i * 10 * MINUTE;
    const version = at >= RELEASE ? '74.0.1' : '74.0.0';
    const runId = `run-${i}`;
    await store.beginRun({ ...runMeta(runId, at), deploymentVersion: version });
    const queueMs = (version === '74.0.1' ? 300 : 100) + (i % 3);
    await store.recordCheck(runId, checkResult({ id: 'ping.queue', outcome: 'passed', at, metrics: { response_ms: { value: queueMs, unit: 'ms', limit: 5000, ok: true } } }));
    await store.recordCheck(runId, checkResult({ id: CLAIM, outcome: 'passed', at, metrics: { claim_latency_ms: { value: 900 + i, unit: 'ms' } } }));
  }
  server = await serveDashboard(createDashboard({ store, checks: [], clock: { now: () => NOW }, refreshSeconds: 0 }));
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = async (url: string) => (await fetch(`${server.url}${url}`, { headers: { Accept: 'text/html' } })).text();
const plotData = (html: string) => [...html.matchAll(/<script type="application\/json"[^>]*>(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!.replaceAll('\\u003c', '<')));

test("a check's plots carry each version change in the window, and their captions say it", async () => {
  const html = await page('/checks/ping.queue?window=24h');
  const [data] = plotData(html);
  expect(data.versions).toEqual([{ at: RELEASE / 1000, version: '74.0.1' }]);
  expect(html).toContain('version 74.0.1 from 2025-03-31 11:00 UTC (vertical line)');
});

test('a pool page\'s plots carry the version changes too', async () => {
  const html = await page('/pools/proj/type?window=24h');
  expect(plotData(html).map((data) => data.versions)).toEqual([[{ at: RELEASE / 1000, version: '74.0.1' }], [{ at: RELEASE / 1000, version: '74.0.1' }]]);
});

test('a check page compares its metrics on the newest version against the one before', async () => {
  const html = await page('/checks/ping.queue');
  expect(html).toContain('<h2>Version 74.0.1 against 74.0.0</h2>');
  const row = html.slice(html.indexOf('<table class="comparison">'), html.indexOf('</table>', html.indexOf('<table class="comparison">')));
  expect(row).toMatch(/<tr class="v-regressed"><th scope="row">response_ms<\/th>\s*<td>10\dms → 30\dms<\/td>/);
  expect(row).toContain('<td>12 / 6</td><td>regressed</td>');
  const claim = await page(`/checks/${encodeURIComponent(CLAIM)}`);
  expect(claim).toMatch(/<tr class="v-same"><th scope="row">claim_latency_ms<\/th>/);
});
