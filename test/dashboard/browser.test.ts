// The dashboard in a real browser: headless Chromium (Debian's) driven by playwright-core, against a real HTTP
// server on a loopback port serving the dashboard over a seeded SQLite history. Screenshots land in
// test-output/dashboard-*.png.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createDashboard } from '../../src/dashboard/dashboard.js';
import type { HistoryStore } from '../../src/history/store.js';
import { launchChromium, missingChromium, screenshotPath } from './chromium.js';
import { SERVED, maintenance, MINUTE, NOW, resultOf, runOf, seededHistory } from './seed.js';
import { serveDashboard, type TestServer } from './server.js';


/** The latest outcome each seeded check must show (seed.ts describes why). */
const EXPECTED: Record<string, string> = {
  'deployment.version': 'passed',
  'ping.queue': 'failed',
  'ping.auth': 'passed',
  'ping.index': 'error',
  'queue.built-in-succeed': 'passed',
  'pool.proj-ci/linux.claim': 'passed',
  'pool.proj-ci/linux.backlog': 'passed',
  'hooks.trigger': 'skipped',
  'secrets.roundtrip': 'maintenance',
  'index.roundtrip': 'aborted',
  'purge-cache.roundtrip': 'none',
  'legacy.retired-check': 'skipped',
};

describe.skipIf(missingChromium())('dashboard in headless Chromium', () => {
  let store: HistoryStore;
  let server: TestServer;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    store = await seededHistory();
    const dashboard = createDashboard({
      store, checks: SERVED, maintenance, clock: { now: () => NOW }, deployment: 'https://tc.example.com',
      nextRun: () => new Date(NOW + MINUTE), refreshSeconds: 0,
    });
    server = await serveDashboard(dashboard);
    browser = await launchChromium();
    page = await browser.newPage();
    // Console errors include Content-Security-Policy violations: the pages must need nothing they forbid.
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`${request.url()} failed`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  test('the overview lists every check with its latest status; a failed check is visibly failed', async () => {
    await page.goto(`${server.url}/`);
    for (const [id, outcome] of Object.entries(EXPECTED)) {
      const row = page.locator(`tr[data-check="${id}"]`);
      await expect(row.getAttribute('data-outcome'), id).resolves.toBe(outcome);
    }
    expect(await page.locator('tbody tr[data-check]').count()).toBe(Object.keys(EXPECTED).length);
    await expect(page.locator('h1#verdict').innerText()).resolves.toContain('2 of 12 checks down');

    const failed = page.locator('tr[data-check="ping.queue"]');
    await expect(failed.locator('.badge').innerText()).resolves.toContain('Failed');
    const look = (selector: string) => page.locator(selector).evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, boxShadow: style.boxShadow };
    });
    const failedBadge = await look('tr[data-check="ping.queue"] .badge');
    const passedBadge = await look('tr[data-check="ping.auth"] .badge');
    expect(failedBadge.background).toBe('rgb(207, 34, 46)');
    expect(passedBadge.background).toBe('rgb(26, 127, 55)');
    // The whole row is tinted and marked with a red bar, unlike a passing one.
    expect((await look('tr[data-check="ping.queue"]')).background).not.toBe((await look('tr[data-check="ping.auth"]')).background);
    expect((await look('tr[data-check="ping.queue"] > th')).boxShadow).toContain('rgb(207, 34, 46)');
    await page.screenshot({ path: screenshotPath('overview'), fullPage: true });
  });

  test('a metric plot renders with its SLA limit drawn as a line', async () => {
    await page.goto(`${server.url}/checks/ping.queue?window=7d`);
    await page.locator('figure.plot[data-metric="response_ms"][data-rendered="true"]').waitFor();
    const plot = await page.evaluate(() => {
      const chart = (window as unknown as { tcCanaryPlots: any[] }).tcCanaryPlots.find((candidate) => candidate.metricName === 'response_ms');
      const limits = chart.data[2] as number[];
      // Scan the canvas along the limit's height for the limit's colour (the line is dashed: count, don't probe one pixel).
      const canvas = chart.root.querySelector('canvas') as HTMLCanvasElement;
      const y = Math.round(chart.valToPos(500, 'y', true));
      const row = canvas.getContext('2d')!.getImageData(0, y - 1, canvas.width, 3).data;
      let red = 0;
      for (let i = 0; i < row.length; i += 4) if (row[i]! > 180 && row[i + 1]! < 90 && row[i + 2]! < 90) red++;
      return { labels: chart.series.map((s: { label?: string }) => s.label), points: chart.data[0].length, limits: [...new Set(limits)], redPixels: red, width: canvas.width };
    });
    expect(plot.labels).toEqual([undefined, 'response_ms', 'limit'].map((label, i) => (i === 0 ? plot.labels[0] : label)));
    expect(plot.points).toBe(7 * 48);
    expect(plot.limits).toEqual([500]);
    // A dashed line across the plot: well over a third of the width is drawn in the limit's red.
    expect(plot.redPixels).toBeGreaterThan(plot.width / 3);
    await expect(page.locator('h1').innerText()).resolves.toBe('ping.queue');
    await expect(page.locator('.failure').first().innerText()).resolves.toContain('step "ping": response_ms');
    await page.screenshot({ path: screenshotPath('check'), fullPage: true });
  });

  test('the pool page shows claim latency and backlog side by side, each with its limit', async () => {
    await page.goto(`${server.url}/pools/proj-ci/linux`);
    const figures = page.locator('figure.plot[data-rendered="true"]');
    await figures.nth(1).waitFor();
    const boxes = await figures.evaluateAll((elements) => elements.map((element) => {
      const box = element.getBoundingClientRect();
      return { metric: element.getAttribute('data-metric'), top: box.top, left: box.left };
    }));
    expect(boxes.map((box) => box.metric)).toEqual(['claim_latency_ms', 'pending']);
    expect(boxes[0]!.top).toBe(boxes[1]!.top);
    expect(boxes[1]!.left).toBeGreaterThan(boxes[0]!.left);
    const limits = await page.evaluate(() =>
      (window as unknown as { tcCanaryPlots: any[] }).tcCanaryPlots.map((chart) => [chart.metricName, chart.data[2][0]]));
    expect(limits).toEqual([['claim_latency_ms', 60_000], ['pending', 50]]);
    await page.screenshot({ path: screenshotPath('pool'), fullPage: true });
  });

  test('filters and refreshes swap the table in place, without a full reload', async () => {
    await page.goto(`${server.url}/`);
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    await page.selectOption('select[name="outcome"]', 'down');
    await page.waitForURL(/outcome=down/);
    await page.waitForFunction(() => !document.getElementById('live')!.hasAttribute('aria-busy'));
    await expect(page.locator('tbody tr[data-check]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-check'))))
      .resolves.toEqual(['ping.queue', 'ping.index']);

    // ping.queue recovers; a page that refreshes itself each second shows it without reloading.
    const live = await serveDashboard(createDashboard({ store, checks: SERVED, clock: { now: () => NOW + 2 * MINUTE }, refreshSeconds: 1 }));
    try {
      await page.goto(`${live.url}/`);
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
      await expect(page.locator('tr[data-check="ping.queue"]').getAttribute('data-outcome')).resolves.toBe('failed');
      await store.importRuns([runOf('run-recovery', NOW + MINUTE, [resultOf('ping.queue', NOW + MINUTE, { outcome: 'passed' })])]);
      await page.locator('tr[data-check="ping.queue"][data-outcome="passed"]').waitFor({ timeout: 15_000 });
      await expect(page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(42);
    } finally {
      await page.goto('about:blank');
      await live.close();
    }
  });

  test('readable on a phone and usable from the keyboard', async () => {
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/`);
    // No sideways scrolling: the table turns into cards.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.keyboard.press('Tab');
    await expect(phone.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await phone.screenshot({ path: screenshotPath('phone') });
    await phone.close();
  });

  test('follows a dark colour scheme', async () => {
    const dark = await browser.newPage();
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto(`${server.url}/checks/pool.proj-ci/linux.claim`);
    await dark.locator('figure.plot[data-rendered="true"]').first().waitFor();
    await expect(dark.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(13, 17, 23)');
    await dark.screenshot({ path: screenshotPath('check-dark'), fullPage: true });
    await dark.close();
  });

  test('no page needed anything from outside tc-canary or broke its security policy', () => {
    expect(problems).toEqual([]);
  });
});
