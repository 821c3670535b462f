// A worker pool's page: every check that declares the pool as its group, with their status, and side by side
// over the same window the key metric of each that asks to be plotted there (is work picked up, is it piling up).

import { metricPlot, readVersionChanges, type CheckSources } from './check-data.js';
import { windowNav } from './check-page.js';
import { poolOf } from './checks.js';
import { html, type Html } from './html.js';
import { checkHref, poolHref } from './links.js';
import { badge, metricText } from './components.js';
import { checkRow, type CheckRow } from './overview-data.js';
import { plotFigure, type PlotView } from './plot.js';
import type { TimeWindow } from './windows.js';

export interface PoolPageData {
  taskQueueId: string;
  window: TimeWindow;
  /** Every check of this pool (claim, backlog, provisioning...). */
  rows: CheckRow[];
  plots: PlotView[];
}

/** The page's data, or undefined when no check declares this pool. */
export async function loadPoolPage(sources: CheckSources, taskQueueId: string, window: TimeWindow, now: number): Promise<PoolPageData | undefined> {
  const checks = [...sources.checks.values()].filter((check) => poolOf(check) === taskQueueId).sort((a, b) => a.id.localeCompare(b.id));
  if (checks.length === 0) return undefined;
  const ids = checks.map((check) => check.id);
  const since = now - window.ms;
  // The pool's table shows each check's status and latest metric: no uptimes, no strips to read.
  const latest = await sources.store.latestResults(ids);
  const rows = await Promise.all(ids.map((id) => checkRow(sources, id, latest.find((entry) => entry.checkId === id), [], now, { strip: false })));
  const byOrder = [...checks].sort((a, b) => (a.dashboard?.group?.order ?? Infinity) - (b.dashboard?.group?.order ?? Infinity));
  const [versions, plots] = await Promise.all([readVersionChanges(sources, since, now), Promise.all(byOrder.flatMap(({ id, dashboard }) => {
    const { keyMetric, group } = dashboard ?? {};
    if (!keyMetric || !group?.plot) return [];
    return [sources.store.summarize({ pattern: id, since }).then((summaries) =>
      metricPlot(sources, id, keyMetric, since, now, summaries.checks.find((summary) => summary.checkId === id), group.plot))];
  }))]);
  return { taskQueueId, window, rows, plots: plots.map((plot) => ({ ...plot, versions })) };
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
<div class="plots pair">${data.plots.map((plot) => plotFigure(plot))}</div>`;
}
