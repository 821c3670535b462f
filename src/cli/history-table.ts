// `tc-canary history` for people: one row per check (uptime, counts, flaky rate, longest failing streak),
// its metrics' percentiles and its last failure under it, and the runs that were aborted.

import { formatNumber } from '../report/format.js';
import type { CheckSummary, HistorySummary, MetricSummary } from '../history/store.js';
import { formatElapsed } from '../check/duration.js';

const COLUMNS = ['CHECK', 'UPTIME', 'PASSED', 'FLAKY', 'FAILED', 'ERROR', 'SKIPPED', 'FLAKY RATE', 'LONGEST FAILING'] as const;

function percent(ratio: number | null): string {
  return ratio === null ? '-' : `${(ratio * 100).toFixed(ratio === 1 || ratio === 0 ? 0 : 2)}%`;
}

function metricValue(value: number, unit: string): string {
  return unit === 'ms' ? formatElapsed(value) : `${formatNumber(value)}${unit && unit !== 'count' ? ` ${unit}` : ''}`;
}

function metricLine(name: string, metric: MetricSummary): string {
  const at = (p: number) => metricValue(p, metric.unit);
  return `    ${name}: p50 ${at(metric.p50)}, p95 ${at(metric.p95)}, p99 ${at(metric.p99)} (${metric.count} values, max ${at(metric.max)})`;
}

function row(check: CheckSummary): string[] {
  const streak = check.longestFailingStreak;
  return [
    check.checkId,
    percent(check.uptime.ratio),
    ...(['passed', 'flaky', 'failed', 'error', 'skipped'] as const).map((outcome) => String(check.counts[outcome])),
    percent(check.flakyRate),
    streak ? `${streak.length} (${streak.from} .. ${streak.to})` : '-',
  ];
}

export function renderHistoryTable(summary: HistorySummary, window: string): string {
  const lines = [`tc-canary history from ${summary.since} to ${summary.until} (${window})`, ''];
  if (summary.checks.length === 0) lines.push('no results recorded in this window');
  const rows = [[...COLUMNS], ...summary.checks.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  if (summary.checks.length > 0) lines.push(format(rows[0]!));
  summary.checks.forEach((check, i) => {
    lines.push(format(rows[i + 1]!));
    for (const [name, metric] of Object.entries(check.metrics)) lines.push(metricLine(name, metric));
    const failure = check.lastFailure;
    if (failure) lines.push(`    last failure: ${failure.at} ${failure.outcome} (run ${failure.runId}): ${failure.reason}`);
  });
  const { runs } = summary;
  lines.push('', `runs: ${runs.total}, aborted: ${runs.aborted}`);
  if (runs.lastAborted) {
    const aborted = runs.lastAborted;
    lines.push(`  last aborted: run ${aborted.runId} started ${aborted.startedAt}: ${aborted.abortReason ?? 'aborted'}`);
  }
  return `${lines.join('\n')}\n`;
}
