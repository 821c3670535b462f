// A metric plot: a figure carrying its data as JSON for the client script to draw with uPlot, and a caption
// that says in words what the plot shows (for screen readers, and for anyone before the script has run).

import type { MetricSummary } from '../history/store.js';
import type { VersionChange } from '../history/versions.js';
import { formatAge, formatMetricValue } from './format.js';
import { html, jsonBlock, type Html } from './html.js';
import type { PlotSeries } from './series.js';

export interface PlotView {
  /** The metric's name; also the plotted series' label. */
  name: string;
  title: string;
  unit: string;
  series: PlotSeries;
  /** The plotted range, epoch ms. */
  from: number;
  to: number;
  /** Percentiles over the same window, from the history's aggregates. */
  summary?: MetricSummary;
  /** The deployment's version changes inside the range: a labelled vertical line each. */
  versions?: readonly VersionChange[];
}

export function plotFigure(view: PlotView): Html {
  const { series } = view;
  const headingId = `plot-${view.title.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const versions = (view.versions ?? []).map((change) => ({ at: change.atMs / 1000, version: change.version }));
  const data = { name: view.name, unit: view.unit, from: view.from / 1000, to: view.to / 1000, x: series.x, value: series.value, limit: series.limit, versions };
  return html`<figure class="plot" data-metric="${view.name}" aria-labelledby="${headingId}">
<h3 id="${headingId}">${view.title}</h3>
<div class="plot-canvas">${series.x.length === 0 && html`<p class="plot-empty">No values in this window.</p>`}</div>
<figcaption>${caption(view)}</figcaption>
${jsonBlock(data)}
</figure>`;
}

function caption(view: PlotView): string {
  const { series, summary, unit } = view;
  const value = (n: number) => formatMetricValue(n, unit);
  const parts: string[] = [];
  const last = series.value.length - 1;
  if (last >= 0) parts.push(`latest ${value(series.value[last]!)}`);
  if (summary && summary.count > 0) parts.push(`p50 ${value(summary.p50)}`, `p95 ${value(summary.p95)}`, `p99 ${value(summary.p99)}`, `max ${value(summary.max)}`);
  const limit = last >= 0 ? series.limit[last] : null;
  if (limit !== null && limit !== undefined) {
    const over = series.value.filter((v, i) => series.limit[i] !== null && v > series.limit[i]!).length;
    parts.push(`limit ${value(limit)} (dashed line)`, over === 0 ? 'never over the limit' : `${over} ${over === 1 ? 'point' : 'points'} over the limit`);
  }
  parts.push(`${summary?.count ?? series.x.length} values`);
  if (series.bucketMs !== undefined) parts.push(`each point is the highest of ${formatAge(0, series.bucketMs)}`);
  for (const change of view.versions ?? []) parts.push(`version ${change.version} from ${new Date(change.atMs).toISOString().slice(0, 16).replace('T', ' ')} UTC (vertical line)`);
  return parts.join(' · ');
}
