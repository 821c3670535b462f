// A worker pool's page: is work being picked up (claim latency) and is it piling up (backlog), side by side
// over the same window, with the status of every check that watches the pool.

import { metricPlot, type CheckSources } from './check-data.js';
import { windowNav } from './check-page.js';
import { html, type Html } from './html.js';
import { checkHref, poolCheckIds, poolHref } from './links.js';
import { badge, metricText } from './components.js';
import { checkRow, type CheckRow } from './overview-data.js';
import { plotFigure, type PlotView } from './plot.js';
import type { TimeWindow } from './windows.js';

export interface PoolPageData {
  taskQueueId: string;
  window: TimeWindow;
  /** Every check of this pool (claim, backlog, provisioning...). */
  rows: CheckRow[];
  claim: PlotView;
  backlog: PlotView;
}

/** The page's data, or undefined when no check watches this task queue. */
export async function loadPoolPage(sources: CheckSources, taskQueueId: string, window: TimeWindow, now: number): Promise<PoolPageData | undefined> {
  const prefix = `pool.${taskQueueId}.`;
  const latest = await sources.store.latestResults();
  const ids = [...new Set([...sources.checks.keys(), ...latest.map((entry) => entry.checkId)])].filter((id) => id.startsWith(prefix)).sort();
  if (ids.length === 0) return undefined;
  const since = now - window.ms;
  const { claim, backlog } = poolCheckIds(taskQueueId);
  // The pool's table shows each check's status and latest metric: no uptimes, no strips to read.
  const [summaries, rows] = await Promise.all([
    sources.store.summarize({ pattern: `${prefix}*`, since }),
    Promise.all(ids.map((id) => checkRow(sources, id, latest.find((entry) => entry.checkId === id), [], now, { strip: false }))),
  ]);
  const summaryOf = (id: string) => summaries.checks.find((check) => check.checkId === id);
  const [claimPlot, backlogPlot] = await Promise.all([
    metricPlot(sources, claim, 'claim_latency_ms', since, now, summaryOf(claim), 'Claim latency'),
    metricPlot(sources, backlog, 'pending', since, now, summaryOf(backlog), 'Backlog (pending tasks)'),
  ]);
  return { taskQueueId, window, rows, claim: claimPlot, backlog: backlogPlot };
}

export function poolContent(data: PoolPageData): Html {
  return html`<p class="crumbs"><a href="/">Overview</a></p>
<div class="head"><h1>Pool ${data.taskQueueId}</h1></div>
<div class="table-wrap"><table class="pool-checks">
<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Latest metric</th></tr></thead>
<tbody>${data.rows.map((row) => html`<tr${row.outcome === 'failed' || row.outcome === 'error' ? html` class="down"` : ''}>
<th scope="row"><a href="${checkHref(row.check.id)}">${row.check.id}</a></th>
<td>${badge(row.outcome)}${row.reason && html`<span class="reason">${row.reason}</span>`}</td>
<td>${row.keyMetric ? metricText(row.keyMetric) : html`<span class="muted">—</span>`}</td></tr>`)}</tbody>
</table></div>
<div class="section-head"><h2>Last ${data.window.label}</h2>${windowNav(data.taskQueueId, data.window, poolHref)}</div>
<div class="plots pair">${plotFigure(data.claim)}${plotFigure(data.backlog)}</div>`;
}
