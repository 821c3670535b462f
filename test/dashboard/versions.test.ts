// The deployment's versions on the dashboard, over a real SQLite history served by the real dashboard: every
// plot of a check (and of a pool) carries the version changes it draws as labelled vertical lines (drawn, in
// headless Chromium), says them in its caption, and a check page compares its metrics on the newest version
// against the one before.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDashboard } from '../../src/dashboard/dashboard.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { checkResult, runMeta } from '../history/results.js';
import { launchChromium, missingChromium, screenshotPath } from './chromium.js';
import { SERVED } from './seed.js';
import { serveDashboard, type TestServer } from './server.js';

const NOW = Date.parse('2025-03-31T12:00:00.000Z');
const MINUTE = 60_000;
const RELEASE = NOW - 60 * MINUTE;
const CLAIM = 'pool.proj-ci/linux.claim';

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
  // The pool's claim check as `serve` declares it: its page plots the claim latency.
  const checks = SERVED.filter(({ check }) => check.id === CLAIM);
  server = await serveDashboard(createDashboard({ store, checks, clock: { now: () => NOW }, refreshSeconds: 0 }));
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
  const html = await page('/pools/proj-ci/linux?window=24h');
  expect(plotData(html).map((data) => [data.name, data.versions])).toEqual([['claim_latency_ms', [{ at: RELEASE / 1000, version: '74.0.1' }]]]);
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

describe.skipIf(missingChromium())('in headless Chromium', () => {
  test('the version change is drawn as a vertical line across the plot', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/checks/ping.queue?window=24h`);
      await tab.locator('figure.plot[data-metric="response_ms"][data-rendered="true"]').waitFor();
      const drawn = await tab.evaluate((releaseS) => {
        const chart = (window as unknown as { tcCanaryPlots: any[] }).tcCanaryPlots.find((candidate) => candidate.metricName === 'response_ms');
        const canvas = chart.root.querySelector('canvas') as HTMLCanvasElement;
        // Grey pixels (the muted colour of the line) down one column of the plot area.
        const greyIn = (x: number) => {
          const column = canvas.getContext('2d')!.getImageData(x - 1, Math.round(chart.bbox.top), 3, Math.round(chart.bbox.height)).data;
          let grey = 0;
          for (let i = 0; i < column.length; i += 4) {
            const [r, g, b, alpha] = [column[i]!, column[i + 1]!, column[i + 2]!, column[i + 3]!];
            // The canvas is transparent where nothing is drawn.
            if (alpha > 128 && r < 170 && Math.abs(r - g) < 20 && Math.abs(g - b) < 20) grey++;
          }
          return grey;
        };
        const at = Math.round(chart.valToPos(releaseS, 'x', true));
        const elsewhere = Math.round(chart.valToPos(releaseS - 5.5 * 3600, 'x', true));
        return { changes: chart.versionChanges, atLine: greyIn(at), elsewhere: greyIn(elsewhere), height: Math.round(chart.bbox.height) };
      }, RELEASE / 1000);
      await tab.screenshot({ path: screenshotPath('version-line'), fullPage: true });
      expect(drawn.changes).toEqual([{ at: RELEASE / 1000, version: '74.0.1' }]);
      // A dotted line from top to bottom: a good share of the column, where the plot elsewhere has none.
      expect(drawn.atLine).toBeGreaterThan(drawn.height / 3);
      expect(drawn.elsewhere).toBeLessThan(drawn.height / 10);
    } finally {
      await browser.close();
    }
  });
});
