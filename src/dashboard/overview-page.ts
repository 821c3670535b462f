// The overview: the verdict first (what is down, since when), then one row per check, the worst first.

import { age, badge, metricText, strip, uptimeText } from './components.js';
import { OUTCOME_FILTERS, overallStatus, type OverallStatus, type RowFilter } from './filter.js';
import { html, type Html } from './html.js';
import { poolOf } from './checks.js';
import { checkHref, poolHref } from './links.js';
import { DISPLAY_OUTCOMES, OUTCOME_LABELS, type RowOutcome } from './outcome.js';
import type { CheckRow } from './overview-data.js';
import { STRIP_LENGTH } from './recent-results.js';
import { WINDOWS } from './windows.js';

/** Worst first: what needs a person comes to the top. */
const SEVERITY: RowOutcome[] = ['failed', 'error', 'flaky', 'aborted', 'maintenance', 'skipped', 'none', 'passed'];

export function sortBySeverity(rows: readonly CheckRow[]): CheckRow[] {
  return [...rows].sort((a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome) || (a.check.id < b.check.id ? -1 : 1));
}

export interface OverviewView {
  /** Every check, for the verdict and the tag list. */
  all: readonly CheckRow[];
  /** The rows the filter keeps. */
  shown: readonly CheckRow[];
  filter: RowFilter;
  now: number;
}

export function overviewContent(view: OverviewView): Html {
  return html`${verdict(overallStatus(view.all), view.now)}
${filters(view)}
<div class="table-wrap">
<table class="checks">
<caption class="sr-only">Checks, the ones that need attention first</caption>
<thead><tr>
<th scope="col">Check</th><th scope="col">Status</th><th scope="col">Since</th>
<th scope="col" class="num"><abbr title="Consecutive failures">Fails</abbr></th>
${WINDOWS.map((window, i) => html`<th scope="col" class="num">${i === 0 ? 'Uptime ' : html`<span class="sr-only">Uptime </span>`}${window.label}</th>`)}
<th scope="col">Key metric</th><th scope="col">Last ${STRIP_LENGTH} results</th>
</tr></thead>
<tbody>
${view.shown.length === 0
    ? html`<tr class="empty-row"><td colspan="${6 + WINDOWS.length}">No check matches these filters. <a href="/" data-swap>Show all checks</a></td></tr>`
    : sortBySeverity(view.shown).map((row) => checkRow(row, view.now))}
</tbody>
</table>
</div>
${legend()}`;
}

function verdict(status: OverallStatus, now: number): Html {
  const total = Object.values(status.counts).reduce((sum, n) => sum + n, 0);
  const title = status.state === 'down'
    ? `${status.down.length} of ${total} checks down`
    : status.state === 'up' ? `No check is down (${total} checks)` : `No results yet for ${total} checks`;
  const glyph = status.state === 'down' ? '✗' : status.state === 'up' ? '✓' : '·';
  const counts = ([...DISPLAY_OUTCOMES, 'none'] as RowOutcome[]).filter((outcome) => status.counts[outcome] > 0);
  return html`<section class="verdict v-${status.state}" aria-labelledby="verdict">
<h1 id="verdict"><span class="glyph" aria-hidden="true">${glyph}</span> ${title}</h1>
${status.down.length > 0 && html`<ul>${status.down.map((row) => html`<li><a href="${checkHref(row.check.id)}">${row.check.id}</a> ${
    OUTCOME_LABELS[row.outcome].toLowerCase()}${row.since && html` for ${age(row.since, now)}`}${
    row.consecutiveFailures > 1 && ` (${row.consecutiveFailures} in a row)`}</li>`)}</ul>`}
<ul class="counts" aria-label="Checks by latest outcome">${counts.map((outcome) => html`<li>${badge(outcome)} <span class="count">${status.counts[outcome]}</span></li>`)}</ul>
</section>`;
}

function filters(view: OverviewView): Html {
  const tags = [...new Set(view.all.flatMap((row) => row.check.tags))].sort();
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected && html` selected`}>${label}</option>`;
  const outcomeLabel = (outcome: (typeof OUTCOME_FILTERS)[number]) => (outcome === 'down' ? 'Down (failed or error)' : OUTCOME_LABELS[outcome]);
  const filtered = view.filter.tag !== undefined || view.filter.outcome !== undefined;
  return html`<form class="filters" method="get" action="/" role="search" aria-label="Filter checks">
<label>Tag <select name="tag">${option('', 'All tags', view.filter.tag === undefined)}${tags.map((tag) => option(tag, tag, tag === view.filter.tag))}</select></label>
<label>Outcome <select name="outcome">${option('', 'All outcomes', view.filter.outcome === undefined)}${
    OUTCOME_FILTERS.map((outcome) => option(outcome, outcomeLabel(outcome), outcome === view.filter.outcome))}</select></label>
<button type="submit">Apply</button>
${filtered && html`<a href="/" data-swap>Clear filters</a>`}
<span class="shown" aria-live="polite">${view.shown.length} of ${view.all.length} checks shown</span>
</form>`;
}

function checkRow(row: CheckRow, now: number): Html {
  const down = row.outcome === 'failed' || row.outcome === 'error';
  const pool = poolOf(row.check);
  return html`<tr class="${down ? 'down' : ''}" data-check="${row.check.id}" data-outcome="${row.outcome}">
<th scope="row"><a href="${checkHref(row.check.id)}">${row.check.id}</a>${pool && html`<a class="pool-link" href="${poolHref(pool)}">pool</a>`}<span class="desc">${row.check.description}${row.check.watches && ` · watches ${row.check.watches.service} ${row.check.watches.process}`}</span></th>
<td data-label="Status" class="status">${badge(row.outcome)}${row.maintenance && html`<span class="note">${row.maintenance.reason}</span>`}${row.reason && html`<span class="reason">${row.reason}</span>`}</td>
<td data-label="Since" class="since">${row.since ? age(row.since, now) : html`<span class="muted">—</span>`}</td>
<td data-label="Fails" class="num">${row.consecutiveFailures > 0 ? html`<span class="fails">${row.consecutiveFailures}</span>` : '0'}</td>
${WINDOWS.map((window) => html`<td data-label="Uptime ${window.label}" class="num">${uptimeText(row.uptime[window.key])}</td>`)}
<td data-label="Key metric" class="wide">${row.keyMetric ? metricText(row.keyMetric) : html`<span class="muted">—</span>`}</td>
<td data-label="Last ${STRIP_LENGTH} results" class="wide">${strip(row.strip, STRIP_LENGTH)}</td>
</tr>`;
}

export function legend(): Html {
  return html`<ul class="legend" aria-label="Colours of the result strips">${DISPLAY_OUTCOMES.map((outcome) =>
    html`<li><span class="c o-${outcome}" aria-hidden="true"></span>${OUTCOME_LABELS[outcome]}</li>`)}</ul>`;
}
