// The dashboard's pages over a real SQLite history seeded through the store's API, fetched from a real HTTP
// server: every check with the right outcome and colour, filters, escaping, routes, and bounded reads.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDashboard, type DashboardOptions } from '../../src/dashboard/dashboard.js';
import { HistoryError, type HistoryStore } from '../../src/history/store.js';
import { SERVED, maintenance, MAINTENANCE_REASON, NOW, resultOf, runOf, seededHistory } from './seed.js';
import { serveDashboard, type TestServer } from './server.js';

const HTML = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The rows of an overview: check id → its data-outcome. */
function rowsOf(page: string): Map<string, string> {
  return new Map([...page.matchAll(/<tr class="[^"]*" data-check="([^"]+)" data-outcome="([^"]+)">/g)].map((m) => [m[1]!, m[2]!]));
}

/** The markup of one overview row. */
function rowOf(page: string, checkId: string): string {
  const start = page.indexOf(`data-check="${checkId}"`);
  return page.slice(start, page.indexOf('</tr>', start));
}

async function withServer(options: DashboardOptions, fn: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await serveDashboard(createDashboard(options));
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

describe('dashboard pages', () => {
  let store: HistoryStore;
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = HTML) => fetch(`${server.url}${path}`, { headers });
  const text = async (path: string) => (await get(path)).text();

  beforeAll(async () => {
    store = await seededHistory();
    server = await serveDashboard(createDashboard({
      store, checks: SERVED, maintenance, clock: { now: () => NOW },
    }));
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  test('the overview shows every check of the catalogue and the history, each with its latest outcome', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const rows = rowsOf(await response.text());
    expect(Object.fromEntries(rows)).toEqual({
      'ping.queue': 'failed', 'ping.index': 'error', 'index.roundtrip': 'aborted', 'secrets.roundtrip': 'maintenance',
      'hooks.trigger': 'skipped', 'legacy.retired-check': 'skipped', 'purge-cache.roundtrip': 'none',
      'deployment.version': 'passed', 'ping.auth': 'passed', 'pool.proj-ci/linux.backlog': 'passed',
      'pool.proj-ci/linux.claim': 'passed', 'queue.built-in-succeed': 'passed',
    });
    // Worst first.
    expect([...rows.keys()].slice(0, 2)).toEqual(['ping.queue', 'ping.index']);
  });

  test('each outcome has its colour class, in badges and in the strips, maintenance with its reason', async () => {
    const page = await text('/');
    expect(rowOf(page, 'ping.queue')).toContain('<span class="badge o-failed">');
    expect(page).toContain('<tr class="down" data-check="ping.queue"');
    expect(rowOf(page, 'ping.index')).toContain('<span class="badge o-error">');
    expect(rowOf(page, 'index.roundtrip')).toContain('<span class="badge o-aborted">');
    expect(rowOf(page, 'deployment.version')).toContain('<span class="badge o-passed">');
    expect(rowOf(page, 'secrets.roundtrip')).toContain('<span class="badge o-maintenance">');
    expect(rowOf(page, 'secrets.roundtrip')).toContain(MAINTENANCE_REASON);
    // Strips: 90 cells each; ping.auth's flaky runs, ping.queue's last three failures, the maintenance window.
    const cells = (checkId: string) => [...rowOf(page, checkId).matchAll(/<span class="c( o-[a-z]+)?"/g)].map((m) => m[1]?.slice(3) ?? 'empty');
    expect(cells('ping.queue')).toHaveLength(90);
    expect(cells('ping.queue').slice(-4)).toEqual(['passed', 'failed', 'failed', 'failed']);
    expect(cells('ping.auth')).toContain('flaky');
    expect(cells('secrets.roundtrip').slice(-5)).toEqual(['passed', ...Array(4).fill('maintenance')]);
    expect(cells('index.roundtrip').at(-1)).toBe('aborted');
    expect(cells('purge-cache.roundtrip')).toEqual(Array(90).fill('empty'));
    expect(rowOf(page, 'ping.queue')).toContain('aria-label="Last 90 results: 87 passed, 3 failed"');
  });

  test('past results show the window they recorded; only the current badge asks the calendar', async () => {
    const cellsOf = (markup: string) => [...markup.matchAll(/<span class="c( o-[a-z]+)?"/g)].map((m) => m[1]?.slice(3) ?? 'empty');
    // A calendar that now says the opposite of what was recorded: secrets.roundtrip's window is over, and
    // ping.queue, which never recorded one, is in maintenance now.
    const calendarNow = (checkId: string) => (checkId === 'ping.queue' ? { reason: 'queue database upgrade' } : undefined);
    await withServer({ store, checks: SERVED, maintenance: calendarNow, clock: { now: () => NOW } }, async (server) => {
      const page = await (await fetch(`${server.url}/`, { headers: HTML })).text();
      expect(rowOf(page, 'secrets.roundtrip')).toContain('<span class="badge o-failed">');
      expect(cellsOf(rowOf(page, 'secrets.roundtrip')).slice(-5)).toEqual(['passed', ...Array(4).fill('maintenance')]);
      expect(rowOf(page, 'ping.queue')).toContain('<span class="badge o-maintenance">');
      expect(rowOf(page, 'ping.queue')).toContain('queue database upgrade');
      expect(cellsOf(rowOf(page, 'ping.queue')).slice(-4)).toEqual(['passed', 'failed', 'failed', 'failed']);
      const timeline = await (await fetch(`${server.url}/checks/secrets.roundtrip`, { headers: HTML })).text();
      const start = timeline.indexOf('class="strip wide"');
      const cells = cellsOf(timeline.slice(start, timeline.indexOf('</div>', start)));
      expect(cells.slice(-5)).toEqual(['passed', ...Array(4).fill('maintenance')]);
      expect(cells.filter((cell) => cell === 'maintenance')).toHaveLength(4);
    });
  });

  test('a row shows since when, failures in a row, uptimes and the key metric against its limit', async () => {
    const row = rowOf(await text('/'), 'ping.queue');
    expect(row).toContain('<span class="fails">3</span>');
    expect(row).toContain('>1 h 29 min</time>');
    expect(row).toContain('<span class="uptime u-bad" title="45 of 48 results up">93.75 %</span>');
    expect(row).toMatch(/<span class="metric over"><span class="metric-name">response_ms<\/span> <span class="metric-value">1\.\ds<\/span> <span class="metric-limit">over limit 500ms<\/span>/);
    expect(row).toContain('step &quot;ping&quot;: response_ms');
  });

  test('filters by tag and by outcome', async () => {
    expect([...rowsOf(await text('/?tag=ping')).keys()].sort()).toEqual(['ping.auth', 'ping.index', 'ping.queue']);
    expect([...rowsOf(await text('/?outcome=down')).keys()]).toEqual(['ping.queue', 'ping.index']);
    expect([...rowsOf(await text('/?outcome=maintenance')).keys()]).toEqual(['secrets.roundtrip']);
    expect([...rowsOf(await text('/?tag=ping&outcome=passed')).keys()]).toEqual(['ping.auth']);
    const none = await text('/?tag=hooks&outcome=failed');
    expect(rowsOf(none).size).toBe(0);
    expect(none).toContain('No check matches these filters');
    // The verdict still speaks of every check, and the form keeps the choice.
    expect(none).toContain('2 of 12 checks down');
    expect(none).toContain('<option value="hooks" selected>');
  });

  test('/checks/<id> is HTML only for clients that prefer it; JSON clients reach the server', async () => {
    const page = await get('/checks/ping.queue');
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('<h1>ping.queue</h1>');
    expect(body).toContain('<figure class="plot" data-metric="response_ms"');
    expect(body).toContain('<code>* * * * *</code>'); // the schedule serve uses, not the check's own
    for (const accept of ['application/json', '*/*', 'text/html;q=0.5, application/json']) {
      const response = await get('/checks/ping.queue', { Accept: accept });
      expect(response.status, accept).toBe(404);
      expect(await response.text()).toBe('{"error":"not the dashboard"}');
    }
    expect((await get('/checks/ping.queue', {})).status).toBe(404);
  });

  test('a check page: schedule, scopes from params, plots with limits, failures with attempts, resources', async () => {
    const hooks = await text('/checks/hooks.trigger');
    expect(hooks).toContain('<code>hooks:trigger-hook:ops-hooks/*</code>');
    const page = await text('/checks/pool.proj-ci/linux.claim?window=30d');
    expect(page).toContain('aria-current="page">30 d</a>');
    const plotData = [...page.matchAll(/<script type="application\/json">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    expect(plotData.map((plot) => plot.name)).toEqual(['claim_latency_ms', 'resolve_ms']);
    expect(new Set(plotData[0].limit)).toEqual(new Set([60_000]));
    expect(plotData[0].x).toHaveLength(1440);
    // The one breach, a week ago, with its step, error and attempt.
    expect(page).toContain('step &quot;wait for claim&quot;: claim SLA exceeded: pending after 60 s');
    expect(page).toContain('attempt 1: failed after 160ms in step <q>wait for claim</q>');
    expect(page).toContain('task <code>taskClaim1439</code>');
    expect(page).toContain('href="/pools/proj-ci/linux"');
    // With the deployment known, each task links to the deployment's view of it.
    await withServer({ store, checks: SERVED, clock: { now: () => NOW }, deployment: 'https://tc.example.com/' }, async (named) => {
      const linked = await (await fetch(`${named.url}/checks/pool.proj-ci/linux.claim`, { headers: HTML })).text();
      expect(linked).toContain('task <a href="https://tc.example.com/tasks/taskClaim1439"><code>taskClaim1439</code></a>');
      expect(linked).toContain('<span class="deployment" title="The deployment under watch">https://tc.example.com/</span>');
    });
  });

  test('the pool page plots claim latency and backlog; an unknown pool or check is a 404 page', async () => {
    const page = await text('/pools/proj-ci/linux');
    expect([...page.matchAll(/data-metric="([^"]+)"/g)].map((m) => m[1])).toEqual(['claim_latency_ms', 'pending']);
    expect(page).toContain('Claim latency');
    const missing = await get('/pools/nope/nothing');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No check watches the task queue nope/nothing.');
    expect((await get('/checks/no.such-check')).status).toBe(404);
  });

  test('serves its assets itself (offline), HEAD without a body, and leaves other URLs and methods to the server', async () => {
    const page = await text('/');
    const uplot = /src="(\/assets\/uPlot\.iife\.min\.js\?v=[0-9a-f]+)"/.exec(await text('/checks/ping.queue'))![1]!;
    const script = await get(uplot);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toContain('uPlot');
    const css = /href="(\/assets\/dashboard\.css\?v=[0-9a-f]+)"/.exec(page)![1]!;
    expect((await get(css)).status).toBe(200);
    expect((await get('/assets/dashboard.css?v=old')).headers.get('cache-control')).toBe('no-cache');
    expect(page).not.toMatch(/https?:\/\/(?!tc\.example\.com)[^"' ]+\.(js|css)/);

    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(404);
    for (const path of ['/status.json', '/metrics', '/assets/nothing.js', '/__heartbeat__']) expect((await get(path)).status, path).toBe(404);
  });
});

describe('dashboard safety and cost', () => {
  test('escapes everything that comes from checks and results', async () => {
    const store = await seededHistory();
    const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
    const result = resultOf('evil.check', NOW + 1000, { outcome: 'failed', error: { kind: 'assertion', message: evil, step: evil } }, evil, [evil]);
    await store.importRuns([runOf('run-evil', NOW + 1000, [{ ...result, metrics: { [evil]: { value: 1, unit: evil, limit: 0, ok: false } } }])]);
    await withServer({ store, checks: SERVED, clock: { now: () => NOW + 2000 } }, async (server) => {
      for (const path of ['/', '/checks/evil.check', `/?tag=${encodeURIComponent(evil)}`, `/checks/${encodeURIComponent(evil)}`]) {
        const page = await (await fetch(`${server.url}${path}`, { headers: HTML })).text();
        expect(page, path).not.toContain('<script>alert');
        expect(page, path).not.toContain('<img src=x');
        expect(page, path).not.toMatch(/<script>(?!\s*$)/);
      }
      const page = await (await fetch(`${server.url}/`, { headers: HTML })).text();
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;');
      // Plot data is JSON in a data block that no string can close early.
      const check = await (await fetch(`${server.url}/checks/evil.check`, { headers: HTML })).text();
      expect(check).toContain('\\u003c/script>');
    });
    await store.close();
  });

  test('the overview reads a bounded number of results, and none again until a check records a new one', async () => {
    const store = await seededHistory();
    const reads: number[] = [];
    const counting: HistoryStore = Object.create(store, {
      results: { value: async (query: Parameters<HistoryStore['results']>[0]) => { const rows = await store.results(query); reads.push(rows.length); return rows; } },
    });
    await withServer({ store: counting, checks: SERVED, clock: { now: () => NOW } }, async (server) => {
      await fetch(`${server.url}/`, { headers: HTML });
      // One read of at most 90 results per check with a history, though the history holds 13,000.
      expect(reads.length).toBe(11);
      expect(Math.max(...reads)).toBe(90);
      reads.length = 0;
      await fetch(`${server.url}/`, { headers: HTML });
      expect(reads).toEqual([]);
      await store.importRuns([runOf('run-next', NOW + 1000, [resultOf('ping.auth', NOW + 1000, { outcome: 'passed' })])]);
      await fetch(`${server.url}/`, { headers: HTML });
      expect(reads).toEqual([90]);
    });
    await store.close();
  });

  test('the check and pool pages read results once and no strips, and the pool page no uptimes', async () => {
    const store = await seededHistory();
    const reads: Array<{ pattern?: string; limit?: number }> = [];
    let uptimeReads = 0;
    const counting: HistoryStore = Object.create(store, {
      results: { value: async (query: Parameters<HistoryStore['results']>[0]) => { reads.push({ pattern: query.checkPattern, limit: query.limit }); return store.results(query); } },
      uptime: { value: async (...args: Parameters<HistoryStore['uptime']>) => { uptimeReads += 1; return store.uptime(...args); } },
    });
    await withServer({ store: counting, checks: SERVED, clock: { now: () => NOW } }, async (server) => {
      expect((await fetch(`${server.url}/checks/ping.queue`, { headers: HTML })).status).toBe(200);
      expect(reads).toEqual([{ pattern: 'ping.queue', limit: 500 }]);
      reads.length = 0;
      uptimeReads = 0;
      expect((await fetch(`${server.url}/pools/proj-ci/linux`, { headers: HTML })).status).toBe(200);
      expect(reads).toEqual([]);
      expect(uptimeReads).toBe(0);
    });
    await store.close();
  });

  test('a history that cannot be read gives a 503 page naming the problem, and the error to onError', async () => {
    const errors: unknown[] = [];
    const failing = {
      latestResults: () => Promise.reject(new HistoryError('history sqlite:/var/lib/tc.db: cannot read the latest results: SQLITE_BUSY')),
      uptimes: () => Promise.resolve(new Map()),
    } as unknown as HistoryStore;
    await withServer({ store: failing, checks: SERVED, onError: (error) => errors.push(error) }, async (server) => {
      const response = await fetch(`${server.url}/`, { headers: HTML });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('cannot read the latest results: SQLITE_BUSY');
    });
    expect(errors).toHaveLength(1);
  });
});
