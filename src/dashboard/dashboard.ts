// The dashboard as a request handler that `serve` mounts in front of its own routes. It answers
//   GET|HEAD /                      the overview (filters: ?tag=, ?outcome=)
//   GET|HEAD /checks/<id>           one check, when the request prefers HTML (JSON stays the server's)
//   GET|HEAD /pools/<taskQueueId>   one worker pool's claim latency and backlog
//   GET|HEAD /assets/<name>         its stylesheet, script and uPlot
// and returns false for everything else, so the server can go on routing.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../clock.js';
import { HistoryError, type HistoryStore } from '../history/store.js';
import { sendAsset } from './assets.js';
import { loadCheckPage, type CheckSources } from './check-data.js';
import { checkContent } from './check-page.js';
import { describeChecks, type ServedCheck } from './checks.js';
import { notFoundContent, unavailableContent } from './error-page.js';
import { matchesFilter, parseFilter } from './filter.js';
import type { Html } from './html.js';
import { page, type PageSettings } from './layout.js';
import { idAfter } from './links.js';
import { prefersHtml } from './negotiate.js';
import type { MaintenanceLookup } from './outcome.js';
import { loadCheckRows } from './overview-data.js';
import { overviewContent } from './overview-page.js';
import { loadPoolPage, poolContent } from './pool-page.js';
import { RecentResults } from './recent-results.js';
import { windowNamed } from './windows.js';

export interface DashboardOptions {
  store: Pick<HistoryStore, 'latestResults' | 'uptimes' | 'uptime' | 'results' | 'summarize' | 'metricSeries' | 'versions' | 'versionSamples'>;
  /** The checks `serve` runs (its ScheduledChecks fit); checks only the history knows are shown too. */
  checks: readonly ServedCheck[];
  /** When the scheduler will next run a check. */
  nextRun?(checkId: string): Date | null | undefined;
  /** The maintenance window covering a check at a time; asked about now, once per check shown (past results record their own). */
  maintenance?: MaintenanceLookup;
  /** The deployment's root URL: named in the header, and the tasks runs created link to its task view. */
  deployment?: string;
  /** Seconds between in-place refreshes of an open page; default 30, 0 turns them off. */
  refreshSeconds?: number;
  clock?: Clock;
  /** Told about every failure behind a 503 page (the page itself stays terse). */
  onError?(error: unknown): void;
  /** Keeps built pages between requests (serve's read snapshot), by URL; without it every request builds its page. */
  cache?(key: string, build: () => Promise<PageAnswer>): Promise<PageAnswer>;
}

/** A built page: what a request for its URL is answered with. */
export interface PageAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
}

export interface Dashboard {
  /** Answers the request and resolves true, or resolves false without touching it when it is not a dashboard URL. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const DEFAULT_REFRESH_SECONDS = 30;

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // Only tc-canary's own files: no inline script, nothing from elsewhere.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  Vary: 'Accept',
};

interface Rendered {
  status: number;
  title: string;
  live: Html;
  plots?: boolean;
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const clock = options.clock ?? systemClock;
  const settings: PageSettings = { deployment: options.deployment, refreshSeconds: options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS };
  const sources: CheckSources = {
    store: options.store,
    checks: describeChecks(options.checks),
    recent: new RecentResults(options.store),
    maintenance: options.maintenance,
    nextRun: options.nextRun,
  };

  async function overview(url: URL, now: number): Promise<Rendered> {
    const all = await loadCheckRows(sources, now);
    const filter = parseFilter(url.searchParams);
    const shown = all.filter((row) => matchesFilter(row, filter));
    const down = all.filter((row) => row.outcome === 'failed' || row.outcome === 'error').length;
    return { status: 200, title: down > 0 ? `${down} down` : 'Overview', live: overviewContent({ all, shown, filter, now }) };
  }

  async function checkPage(id: string, url: URL, now: number): Promise<Rendered> {
    const data = await loadCheckPage(sources, id, windowNamed(url.searchParams.get('window')), now);
    if (!data) return { status: 404, title: 'Not found', live: notFoundContent(`No check is named ${id}.`) };
    return { status: 200, title: id, live: checkContent(data, now, options.deployment), plots: true };
  }

  async function poolPage(taskQueueId: string, url: URL, now: number): Promise<Rendered> {
    const data = await loadPoolPage(sources, taskQueueId, windowNamed(url.searchParams.get('window')), now);
    if (!data) return { status: 404, title: 'Not found', live: notFoundContent(`No check watches the task queue ${taskQueueId}.`) };
    return { status: 200, title: `Pool ${taskQueueId}`, live: poolContent(data), plots: true };
  }

  /** The page for a URL, or undefined when it is not the dashboard's. */
  function route(req: IncomingMessage, url: URL): (() => Promise<Rendered>) | undefined {
    const now = clock.now();
    if (url.pathname === '/') return () => overview(url, now);
    const checkId = idAfter('/checks/', url.pathname);
    if (checkId !== undefined && prefersHtml(req.headers.accept)) return () => checkPage(checkId, url, now);
    const taskQueueId = idAfter('/pools/', url.pathname);
    if (taskQueueId !== undefined) return () => poolPage(taskQueueId, url, now);
    return undefined;
  }

  function answerOf(rendered: Rendered): PageAnswer {
    const { text } = page(settings, { title: rendered.title, live: rendered.live, plots: rendered.plots, now: clock.now() });
    return { status: rendered.status, contentType: PAGE_HEADERS['Content-Type'], body: text };
  }

  /** The page for the URL, from the cache when one is given; a failure is never kept, and answers a 503 page. */
  async function answer(key: string, load: () => Promise<Rendered>): Promise<PageAnswer> {
    const build = async () => answerOf(await load());
    try {
      return await (options.cache ? options.cache(key, build) : build());
    } catch (error) {
      options.onError?.(error);
      // A HistoryError names the store with its password masked; anything else could say more than it should.
      const message = error instanceof HistoryError ? error.message : 'An internal error occurred; the server log has the details.';
      return answerOf({ status: 503, title: 'Unavailable', live: unavailableContent(message) });
    }
  }

  return {
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
      const head = req.method === 'HEAD';
      const asset = idAfter('/assets/', url.pathname);
      if (asset !== undefined) return sendAsset(asset, url.searchParams.get('v'), res, head);
      const load = route(req, url);
      if (!load) return false;
      const { status, body } = await answer(`${url.pathname}${url.search}`, load);
      res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
      return true;
    },
  };
}
