// `tc-canary history`: per check uptime, counts, flaky rate, metric percentiles, longest failing streak and
// last failure over a window, following the rules in accounting.ts.

import type { ErrorInfo } from '../check/result.js';
import { failureReason, flakyRateOf, longestFailingStreaks, uptimeOf, type FailureRow } from './accounting.js';
import { readOutcomeCounts } from './aggregates.js';
import { inFilter, placeholders, type Queryable } from './database.js';
import { readMetricStats, type MetricStats } from './metric-stats.js';
import { RUN_SELECT, toRunRecord, type RunRow } from './runs.js';
import { percentiles } from './sketch.js';
import type { CheckSummary, HistorySummary, LastFailure, MetricSummary } from './store.js';

// Failures that count (outside maintenance), written exactly as the partial index
// results_failing_outside_maintenance is, so both databases use it.
const FAILING = "outcome IN ('failed', 'error') AND maintenance IS NULL";

function metricSummary(stats: MetricStats): MetricSummary {
  const [p50, p95, p99] = percentiles(stats.histogram, [50, 95, 99]) as [number, number, number];
  return {
    unit: stats.unit, count: stats.count, mean: stats.sum / stats.count,
    min: stats.histogram.min, max: stats.histogram.max, p50, p95, p99,
  };
}

/** The last failure of each check, by the ids of its failing results. */
async function lastFailures(q: Queryable, failures: readonly { id: number; check_id: string }[]): Promise<Map<string, LastFailure>> {
  const lastIds = new Map<string, number>();
  for (const row of failures) lastIds.set(row.check_id, Math.max(row.id, lastIds.get(row.check_id) ?? 0));
  const ids = [...lastIds.values()];
  if (ids.length === 0) return new Map();
  const rows = await q.all<{ check_id: string; run_id: string; outcome: 'failed' | 'error'; started_ms: number; error: string | null }>(
    `SELECT check_id, run_id, outcome, started_ms, error FROM results WHERE id IN ${placeholders(ids.length)}`, ids);
  return new Map(rows.map((row) => [row.check_id, {
    at: new Date(row.started_ms).toISOString(),
    runId: row.run_id,
    outcome: row.outcome,
    reason: failureReason(row.outcome, row.error === null ? undefined : (JSON.parse(row.error) as ErrorInfo)),
  }]));
}

/** Summarizes [since, now]; only the given checks when `checkIds` is set. */
export async function summarizeWindow(q: Queryable, since: number, now: number, checkIds?: readonly string[]): Promise<HistorySummary> {
  const filter = inFilter('check_id', checkIds);
  const counts = await readOutcomeCounts(q, since, checkIds);
  const metrics = await readMetricStats(q, since, checkIds);
  const failures = await q.all<{ id: number; check_id: string; seq: number; started_ms: number }>(
    `SELECT id, check_id, seq, started_ms FROM results WHERE ${FAILING} AND started_ms >= ?${filter.sql}`,
    [since, ...filter.params],
  );
  const streaks = longestFailingStreaks(failures.map((row): FailureRow => ({ checkId: row.check_id, seq: row.seq, startedMs: row.started_ms })));
  const last = await lastFailures(q, failures);

  const checks = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([checkId, checkCounts]): CheckSummary => ({
    checkId,
    counts: checkCounts.outcomes,
    uptime: uptimeOf(checkCounts.outcomes, checkCounts.maintenance),
    flakyRate: flakyRateOf(checkCounts.outcomes),
    metrics: Object.fromEntries([...(metrics.get(checkId) ?? [])].map(([name, stats]) => [name, metricSummary(stats)])),
    longestFailingStreak: streaks.get(checkId) ?? null,
    lastFailure: last.get(checkId) ?? null,
  }));

  const [runCounts] = await q.all<{ total: number; aborted: number | null }>(
    "SELECT COUNT(*) AS total, SUM(CASE WHEN outcome = 'aborted' THEN 1 ELSE 0 END) AS aborted FROM runs WHERE started_ms >= ?",
    [since],
  );
  const [lastAborted] = await q.all<RunRow>(
    `${RUN_SELECT} WHERE outcome = 'aborted' AND started_ms >= ? ORDER BY started_ms DESC LIMIT 1`, [since]);
  return {
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    checks,
    runs: {
      total: runCounts?.total ?? 0,
      aborted: runCounts?.aborted ?? 0,
      ...(lastAborted && { lastAborted: toRunRecord(lastAborted) }),
    },
  };
}
