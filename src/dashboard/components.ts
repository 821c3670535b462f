// Small pieces of markup the pages share: outcome badges, result strips, times, uptimes, metrics.

import type { Uptime } from '../history/store.js';
import { formatAge, formatMetricValue, formatUptime, formatUtc } from './format.js';
import { html, type Html } from './html.js';
import type { NamedMetric } from './key-metric.js';
import { OUTCOME_GLYPHS, OUTCOME_LABELS, type RowOutcome } from './outcome.js';
import type { StripCell } from './overview-data.js';

/** Text and glyph as well as colour: the status must read without colour vision. */
export function badge(outcome: RowOutcome): Html {
  return html`<span class="badge o-${outcome}"><span aria-hidden="true">${OUTCOME_GLYPHS[outcome]}</span> ${OUTCOME_LABELS[outcome]}</span>`;
}

export function utcTime(iso: string): Html {
  return html`<time datetime="${iso}">${formatUtc(iso)}</time>`;
}

/** "3 h 05 min" with the exact time on hover and for assistive technology. */
export function age(iso: string, now: number): Html {
  return html`<time datetime="${iso}" title="${formatUtc(iso)}">${formatAge(Date.parse(iso), now)}</time>`;
}

/** A strip of results, oldest left; padded on the left so every strip ends at the same place. */
export function strip(cells: readonly StripCell[], length: number, wide = false): Html {
  const counts = new Map<RowOutcome, number>();
  for (const cell of cells) counts.set(cell.outcome, (counts.get(cell.outcome) ?? 0) + 1);
  const summary = [...counts].map(([outcome, n]) => `${n} ${OUTCOME_LABELS[outcome].toLowerCase()}`).join(', ');
  const label = cells.length === 0 ? 'No results yet' : `Last ${cells.length} results: ${summary}`;
  const padding = Math.max(0, length - cells.length);
  return html`<div class="strip${wide ? ' wide' : ''}" role="img" aria-label="${label}">${
    Array.from({ length: padding }, () => html`<span class="c"></span>`)}${
    cells.map((cell) => html`<span class="c o-${cell.outcome}" title="${OUTCOME_LABELS[cell.outcome]} · ${formatUtc(cell.at)}"></span>`)
  }</div>`;
}

/** Below 99 % an uptime is worth a second look, below 95 % it is bad. */
export function uptimeText(uptime: Uptime | undefined): Html {
  const ratio = uptime?.ratio ?? null;
  const level = ratio === null ? 'none' : ratio < 0.95 ? 'bad' : ratio < 0.99 ? 'warn' : 'good';
  const detail = uptime ? `${uptime.up} of ${uptime.counted} results up` : 'nothing counted in this window';
  return html`<span class="uptime u-${level}" title="${detail}">${formatUptime(ratio)}</span>`;
}

/** "claim_latency_ms 42.8s limit 60.0s", flagged when over its limit. */
export function metricText(metric: NamedMetric): Html {
  const value = formatMetricValue(metric.value, metric.unit);
  const over = metric.ok === false;
  return html`<span class="metric${over ? ' over' : ''}"><span class="metric-name">${metric.name}</span> <span class="metric-value">${value}</span>${
    metric.limit !== undefined && html` <span class="metric-limit">${over ? 'over limit' : 'limit'} ${formatMetricValue(metric.limit, metric.unit)}</span>`
  }</span>`;
}
