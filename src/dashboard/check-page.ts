// One check's page: what it is and how it is scheduled, how its metrics moved against their limits, its
// outcomes over time, how it failed lately and what its runs created.

import type { AttemptResult, ResourceRef } from '../check/result.js';
import type { Comparison } from '../compare/comparison.js';
import { rulesText } from '../compare/console-table.js';
import type { HistoryResult } from '../history/store.js';
import { errorLine, stepErrorLine } from '../report/format.js';
import type { CheckPageData } from './check-data.js';
import { age, badge, strip, uptimeText, utcTime } from './components.js';
import { formatAge, formatMetricValue, formatUptime } from './format.js';
import { html, type Html } from './html.js';
import { poolOf } from './checks.js';
import { checkHref, poolHref } from './links.js';
import { legend } from './overview-page.js';
import { OUTCOME_LABELS, isDown } from './outcome.js';
import { plotFigure } from './plot.js';
import { WINDOWS, type TimeWindow } from './windows.js';
import { formatElapsed } from '../check/duration.js';

/** `deployment`, when known, links each task a run created to the deployment's task view. */
export function checkContent(data: CheckPageData, now: number, deployment?: string): Html {
  const { row } = data;
  const { check } = row;
  const pool = poolOf(check);
  return html`<p class="crumbs"><a href="/">Overview</a>${pool && html` · <a href="${poolHref(pool)}">pool ${pool}</a>`}</p>
<div class="head"><h1>${check.id}</h1>${badge(row.outcome)}</div>
<p>${check.description}</p>
${row.maintenance && html`<p class="note">In maintenance: ${row.maintenance.reason}</p>`}
${row.reason && html`<p class="reason">${row.reason}</p>`}
<div class="cards">
<section class="panel" aria-label="About this check"><dl class="facts">
<dt>Status</dt><dd>${row.since ? html`${OUTCOME_LABELS[row.outcome]} for ${age(row.since, now)}${isDown(row.outcome) && ` · ${row.consecutiveFailures} in a row`}` : 'no result yet'}</dd>
<dt>Last result</dt><dd>${row.latestAt ? html`${utcTime(row.latestAt)} (${formatAge(Date.parse(row.latestAt), now)} ago)` : '—'}</dd>
<dt>Schedule</dt><dd>${check.schedule ? html`<code>${check.schedule}</code>${data.nextRun && html` · next run ${utcTime(data.nextRun.toISOString())}`}` : 'not scheduled'}</dd>
<dt>Scopes</dt><dd>${check.scopes ? html`<code>${check.scopes}</code>` : 'none'}</dd>
${check.watches && html`<dt>Watches</dt><dd>${check.watches.service} <code>${check.watches.process}</code> (a failure points at this background process)</dd>`}
<dt>Tags</dt><dd>${check.tags.length > 0 ? check.tags.map((tag, i) => html`${i > 0 && ', '}<a href="/?tag=${encodeURIComponent(tag)}">${tag}</a>`) : 'none'}</dd>
</dl></section>
<section class="panel" aria-label="Uptime"><dl class="facts">
${WINDOWS.map((window) => html`<dt>Uptime ${window.label}</dt><dd>${uptimeText(row.uptime[window.key])}</dd>`)}
${data.summary && html`<dt>In ${data.window.label}</dt><dd>${countsText(data.summary.counts)}</dd>
<dt>Flaky rate</dt><dd>${formatUptime(data.summary.flakyRate)}</dd>
${data.summary.longestFailingStreak && html`<dt>Longest failing streak</dt><dd>${data.summary.longestFailingStreak.length} results from ${utcTime(data.summary.longestFailingStreak.from)}</dd>`}`}
</dl></section>
</div>
<div class="section-head"><h2>Metrics, last ${data.window.label}</h2>${windowNav(check.id, data.window, checkHref)}</div>
${data.plots.length === 0 ? html`<p class="muted">This check records no metrics.</p>` : html`<div class="plots">${data.plots.map(plotFigure)}</div>`}
${comparisonSection(data.comparison)}
<h2>Outcomes, last ${data.window.label}</h2>
${data.timeline.length === 0 ? html`<p class="muted">No results in this window.</p>` : html`${strip(data.timeline, data.timeline.length, true)}
<p class="muted">${data.timeline.length} newest results of the window, oldest left${data.truncated && ` (the window holds more)`}.</p>${legend()}`}
<h2>Last failures</h2>
${data.failures.length === 0 ? html`<p class="muted">No failure among the window's ${data.truncated ? 'newest ' : ''}results.</p>` : html`<div class="failures">${data.failures.map(failure)}</div>`}
<h2>Resources created</h2>
${data.withResources.length === 0 ? html`<p class="muted">No run in this window recorded a resource.</p>` : resources(data.withResources, deployment)}`;
}

export function windowNav(id: string, current: TimeWindow, href: (id: string, query: string) => string): Html {
  return html`<nav class="windows" aria-label="Time window">${WINDOWS.map((window) => html`<a href="${href(id, `?window=${window.key}`)}" data-swap${
    window.key === current.key && html` aria-current="page"`}>${window.label}</a>`)}</nav>`;
}

/** The check's metrics on the newest version against the one before, as `tc-canary compare` judges them. */
function comparisonSection(comparison: Comparison): Html {
  const { baseline, current } = comparison;
  const [check] = comparison.checks;
  const heading = baseline && current ? `Version ${current.version} against ${baseline.version}` : 'Versions';
  if (!baseline || !current || !check) {
    return html`<h2>${heading}</h2><p class="muted">Not enough data to compare versions: ${comparison.reason ?? 'no results of this check on both versions'}.</p>`;
  }
  const value = (n: number | undefined, unit: string) => (n === undefined ? '—' : formatMetricValue(n, unit));
  return html`<h2>${heading}</h2>
<div class="table-wrap"><table class="comparison">
<thead><tr><th scope="col">Metric</th><th scope="col">p50 before → now</th><th scope="col">p95 before → now</th><th scope="col">Shift</th><th scope="col">Samples</th><th scope="col">Verdict</th></tr></thead>
<tbody>${check.metrics.map((m) => html`<tr class="v-${m.verdict.replaceAll(' ', '-')}"><th scope="row">${m.metric}</th>
<td>${value(m.baseline.p50, m.unit)} → ${value(m.current.p50, m.unit)}</td><td>${value(m.baseline.p95, m.unit)} → ${value(m.current.p95, m.unit)}</td>
<td>${m.ratio === undefined ? '—' : `×${m.ratio.toFixed(2)}`}${m.p !== undefined && ` (p=${m.p < 0.001 ? '<0.001' : m.p.toFixed(3)})`}</td>
<td>${m.baseline.n} / ${m.current.n}</td><td>${m.verdict}</td></tr>`)}</tbody>
</table></div>
<p class="muted">${rulesText(comparison.settings)}. Same as <code>tc-canary compare ${check.checkId}</code>.</p>`;
}

function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${outcome}`);
  return parts.length > 0 ? parts.join(', ') : 'no results';
}

function failure(result: HistoryResult): Html {
  return html`<article class="failure o-${result.outcome}">
<h3>${badge(result.outcome === 'error' ? 'error' : 'failed')} ${utcTime(result.startedAt)} <span class="muted">run <code>${result.runId}</code> · ${formatElapsed(result.durationMs)}</span></h3>
<p class="error">${result.error ? stepErrorLine(result.error) : 'no error recorded'}</p>
${result.attempts.length > 0 && html`<ol class="attempts" aria-label="Attempts">${result.attempts.map(attempt)}</ol>`}
</article>`;
}

function attempt(entry: AttemptResult): Html {
  const failedStep = entry.steps.find((step) => step.outcome !== 'passed');
  return html`<li>attempt ${entry.attempt}: ${entry.outcome} after ${formatElapsed(entry.durationMs)}${
    failedStep && html` in step <q>${failedStep.name}</q>`}${entry.error && html` — ${errorLine(entry.error)}`}</li>`;
}

function resources(results: readonly HistoryResult[], deployment: string | undefined): Html {
  const reference = (resource: ResourceRef) => resource.type === 'task' && deployment
    ? html`<a href="${`${deployment.replace(/\/$/, '')}/tasks/${encodeURIComponent(resource.id)}`}"><code>${resource.id}</code></a>`
    : html`<code>${resource.id}</code>`;
  return html`<div class="table-wrap"><table class="resources">
<thead><tr><th scope="col">When</th><th scope="col">Run</th><th scope="col">Outcome</th><th scope="col">Created</th></tr></thead>
<tbody>${results.map((result) => html`<tr><td>${utcTime(result.startedAt)}</td><td><code>${result.runId}</code></td><td>${badge(result.outcome)}</td>
<td>${result.resources.map((resource, i) => html`${i > 0 && html`<br>`}${resource.type} ${reference(resource)}`)}</td></tr>`)}</tbody>
</table></div>`;
}
