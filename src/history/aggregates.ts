// Hourly aggregates (counts by outcome and of the up and down results inside maintenance, metric
// count/sum/min/max): kept up to date as results are recorded, kept for a year, and what uptime and summaries
// read, so they cost the same whether a window holds a hundred results or a million.
//
// A window [since, now] reads the aggregates of every hour that starts at or after `since`, plus the raw
// results of the part of an hour before that: exact while raw results are kept (30 days by default).

import { OUTCOMES, type CheckResult, type Outcome } from '../check/result.js';
import { emptyResultCounts, healthOf, type ResultCounts } from './accounting.js';
import { inFilter, insertRows, type Queryable, type SqlValue } from './database.js';

export const HOUR_MS = 3_600_000;

export const hourOf = (epochMs: number): number => Math.floor(epochMs / HOUR_MS) * HOUR_MS;
export const nextHourFrom = (epochMs: number): number => Math.ceil(epochMs / HOUR_MS) * HOUR_MS;

/**
 * Merges rows that share a key (a check's hour, a metric's hour) before they are written: one row per key,
 * as an upsert of several rows may not touch one row twice. A row is its key, its labels (the latest win:
 * a metric's unit) and its merged values.
 */
class Tally {
  private readonly entries = new Map<string, { key: readonly SqlValue[]; labels: readonly SqlValue[]; values: number[] }>();

  constructor(private readonly merge: (old: number[], add: readonly number[]) => number[]) {}

  add(key: readonly SqlValue[], values: readonly number[], labels: readonly SqlValue[] = []): void {
    const id = key.join('\u0000');
    const entry = this.entries.get(id);
    this.entries.set(id, { key, labels, values: entry ? this.merge(entry.values, values) : [...values] });
  }

  rows(): SqlValue[][] {
    return [...this.entries.values()].map(({ key, labels, values }) => [...key, ...labels, ...values]);
  }
}

const addCounts = (old: number[], add: readonly number[]) => old.map((value, i) => value + add[i]!);

const addMetricStats = ([count, sum, min, max]: number[], [addCount, addSum, addMin, addMax]: readonly number[]) => [
  count! + addCount!, sum! + addSum!, Math.min(min!, addMin!), Math.max(max!, addMax!),
];

/** The hourly_outcomes columns counted per result: one per outcome, then the up and down ones inside maintenance. */
const COUNT_COLUMNS = [...OUTCOMES, 'maintenance_up', 'maintenance_down'] as const;

function countsOfOne(result: CheckResult): number[] {
  const apart = result.maintenance ? healthOf(result.outcome) : undefined;
  return [...OUTCOMES.map((outcome) => (outcome === result.outcome ? 1 : 0)), apart === 'up' ? 1 : 0, apart === 'down' ? 1 : 0];
}

/** Adds results to their hours' aggregates (inside the transaction that records them). */
export async function addToAggregates(q: Queryable, results: readonly CheckResult[]): Promise<void> {
  const outcomes = new Tally(addCounts);
  const metrics = new Tally(addMetricStats);
  for (const result of results) {
    const hour = hourOf(Date.parse(result.startedAt));
    outcomes.add([hour, result.id], countsOfOne(result));
    for (const [name, metric] of Object.entries(result.metrics)) {
      metrics.add([hour, result.id, name], [1, metric.value, metric.value, metric.value], [metric.unit]);
    }
  }
  await insertRows(q, 'hourly_outcomes', ['hour_ms', 'check_id', ...COUNT_COLUMNS], outcomes.rows(),
    `ON CONFLICT (hour_ms, check_id) DO UPDATE SET
      ${COUNT_COLUMNS.map((column) => `${column} = hourly_outcomes.${column} + excluded.${column}`).join(', ')}`);
  await insertRows(q, 'hourly_metrics', ['hour_ms', 'check_id', 'name', 'unit', 'count', 'sum', 'min', 'max'], metrics.rows(),
    `ON CONFLICT (hour_ms, check_id, name) DO UPDATE SET unit = excluded.unit,
      count = hourly_metrics.count + excluded.count, sum = hourly_metrics.sum + excluded.sum,
      min = CASE WHEN excluded.min < hourly_metrics.min THEN excluded.min ELSE hourly_metrics.min END,
      max = CASE WHEN excluded.max > hourly_metrics.max THEN excluded.max ELSE hourly_metrics.max END`);
}

/** Result counts per check since a time; only the given checks when `checkIds` is set. */
export async function readOutcomeCounts(q: Queryable, since: number, checkIds?: readonly string[]): Promise<Map<string, ResultCounts>> {
  const filter = inFilter('check_id', checkIds);
  const edgeEnd = nextHourFrom(since);
  const counts = new Map<string, ResultCounts>();
  const countsOf = (checkId: string) => {
    let check = counts.get(checkId);
    if (!check) counts.set(checkId, (check = emptyResultCounts()));
    return check;
  };
  const hourly = await q.all<Record<(typeof COUNT_COLUMNS)[number], number> & { check_id: string }>(
    `SELECT check_id, ${COUNT_COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ')}
       FROM hourly_outcomes WHERE hour_ms >= ?${filter.sql} GROUP BY check_id`,
    [edgeEnd, ...filter.params],
  );
  for (const row of hourly) {
    const check = countsOf(row.check_id);
    for (const outcome of OUTCOMES) check.outcomes[outcome] += row[outcome];
    check.maintenance.up += row.maintenance_up;
    check.maintenance.down += row.maintenance_down;
  }
  if (since < edgeEnd) {
    const edge = await q.all<{ check_id: string; outcome: Outcome; n: number; in_maintenance: number }>(
      `SELECT check_id, outcome, COUNT(*) AS n, COUNT(maintenance) AS in_maintenance
         FROM results WHERE started_ms >= ? AND started_ms < ?${filter.sql} GROUP BY check_id, outcome`,
      [since, edgeEnd, ...filter.params],
    );
    for (const row of edge) {
      const check = countsOf(row.check_id);
      check.outcomes[row.outcome] += row.n;
      const health = healthOf(row.outcome);
      if (health !== 'skipped') check.maintenance[health] += row.in_maintenance;
    }
  }
  return counts;
}

export interface HourlyMetricRow {
  check_id: string;
  name: string;
  unit: string;
  n: number;
  total: number;
  low: number;
  high: number;
}

/** Count, sum, min and max of every metric of every check (or of the given checks) from an hour on. */
export function readHourlyMetrics(q: Queryable, fromHour: number, checkIds?: readonly string[]): Promise<HourlyMetricRow[]> {
  const filter = inFilter('check_id', checkIds);
  return q.all<HourlyMetricRow>(
    `SELECT check_id, name, MAX(unit) AS unit, SUM(count) AS n, SUM(sum) AS total, MIN(min) AS low, MAX(max) AS high
       FROM hourly_metrics WHERE hour_ms >= ?${filter.sql} GROUP BY check_id, name`,
    [fromHour, ...filter.params],
  );
}
