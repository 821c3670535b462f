// The dashboard as users get it: headless Chromium against a real `tc-canary serve` (startService, on a
// loopback port) whose history was seeded beforehand. The other browser suite drives the dashboard alone;
// this one proves the service's own routes, content negotiation included, serve the same pages.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Redactor } from '../../src/redact.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { launchChromium, missingChromium, screenshotPath } from './chromium.js';
import { NOW, SERVED, seededHistory, tempHistorySpec } from './seed.js';

/** Once a year: no slot comes while the test runs, so the page shows the seeded history only. */
const NEVER_DURING_THE_TEST = '0 0 1 1 *';

describe.skipIf(missingChromium())('dashboard of a running serve, in headless Chromium', () => {
  let service: RunningService;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const historySpec = tempHistorySpec();
    await (await seededHistory(historySpec)).close();
    // Only checks with seeded results: each ran since its last slot, so none gets a startup run.
    const seeded = new Set(['deployment.version', 'ping.queue', 'ping.auth', 'ping.index', 'queue.built-in-succeed']);
    service = await startService({
      checks: SERVED.filter(({ check }) => seeded.has(check.id)).map((served) => ({ ...served, cron: NEVER_DURING_THE_TEST })),
      // Never asked: nothing runs.
      rootUrl: 'http://127.0.0.1:9', credentials: undefined, redactor: new Redactor(), concurrency: 1,
      historySpec, listen: { host: '127.0.0.1', port: 0 }, log: () => undefined, clock: { now: () => NOW },
    });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  test('the overview lists the served checks with their latest status, a failed one visibly failed', async () => {
    await page.goto(`${service.url}/`);
    const outcomes = await page.locator('tbody tr[data-check]').evaluateAll((rows) =>
      Object.fromEntries(rows.map((row) => [row.getAttribute('data-check'), row.getAttribute('data-outcome')])));
    // Every check the history knows is listed; those served show their latest seeded outcome.
    expect(outcomes).toMatchObject({
      'deployment.version': 'passed', 'ping.queue': 'failed', 'ping.auth': 'passed', 'ping.index': 'error', 'queue.built-in-succeed': 'passed',
    });
    await expect(page.locator('tr[data-check="ping.queue"] .badge').innerText()).resolves.toContain('Failed');
    await page.screenshot({ path: screenshotPath('serve-overview'), fullPage: true });
  });

  test('/checks/<id> answers the browser a page with the metric plotted against its limit, and machines JSON', async () => {
    await page.goto(`${service.url}/checks/ping.queue?window=7d`);
    await page.locator('figure.plot[data-metric="response_ms"][data-rendered="true"]').waitFor();
    const limits = await page.evaluate(() =>
      (window as unknown as { tcCanaryPlots: { metricName: string; data: number[][] }[] }).tcCanaryPlots.map((chart) => [chart.metricName, chart.data[2]![0]]));
    expect(limits).toContainEqual(['response_ms', 500]);
    await page.screenshot({ path: screenshotPath('serve-check'), fullPage: true });

    const json = await fetch(`${service.url}/checks/ping.queue`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({ id: 'ping.queue' });
  });
});
