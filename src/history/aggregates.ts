// Hourly aggregates: kept up to date as results are recorded, kept for a year, and what uptime and summaries
// read, so they cost the same whether a window holds a hundred results or a million.
//
// A window [since, now] reads the aggregates of every hour that starts at or after `since`, plus the raw
// results of the part of an hour before that: both are exact while raw results are kept (30 days by default).

import type { CheckResult, Outcome } from '../check/result.js';
import { emptyCounts } from './accounting.js';
import { inFilter, insertRows, type Queryable, type SqlValue } from './database.js';
import { addToHistogram, bucketOf, emptyHistogram, type Histogram } from './sketch.js';

export const HOUR_MS = 3_600_000;

export const hourOf = (epochMs: number): number => Math.floor(epochMs / HOUR_MS) * HOUR_MS;
const nextHourFrom = (epochMs: number): number => Math.ceil(epochMs / HOUR_MS) * HOUR_MS;

const keyOf = (key: readonly SqlValue[]): string => key.join('\u0000');

/** Sums rows that share a key (a check's hour, outcome, metric...) before they are written. */
class Tally {
  readonly rows = new Map<string, SqlValue[]>();

  add(key: readonly SqlValue[], values: readonly number[], merge: (old: number[], add: readonly number[]) => number[]): void {
    const id = keyOf(key);
    const row = this.rows.get(id);
    if (!row) this.rows.set(id, [...key, ...values]);
    else this.rows.set(id, [...key, ...merge(row.slice(key.length) as number[], values)]);
  }
}

const addCounts = (old: number[], add: readonly number[]) => old.map((value, i) => value + add[i]!);
const addMetricStats = ([count, sum, min, max]: number[], [addCount, addSum, addMin, addMax]: readonly number[]) => [
  count! + addCount!, sum! + addSum!, Math.min(min!, addMin!), Math.max(max!, addMax!),
];

/** Adds results to their hours' aggregates (inside the transaction that records them). */
export async function addToAggregates(q: Queryable, results: readonly CheckResult[]): Promise<void> {
  const outcomes = new Tally();
  const metrics = new Tally();
  const units = new Map<string, string>();
  const buckets = new Tally();
  for (const result of results) {
    const hour = hourOf(Date.parse(result.startedAt));
    outcomes.add([hour, result.id, result.outcome], [1], addCounts);
    for (const [name, metric] of Object.entries(result.metrics)) {
      metrics.add([hour, result.id, name], [1, metric.value, metric.value, metric.value], addMetricStats);
      units.set(keyOf([hour, result.id, name]), metric.unit);
      buckets.add([hour, result.id, name, bucketOf(metric.value)], [1], addCounts);
    }
  }
  await insertRows(q, 'hourly_outcomes', ['hour_ms', 'check_id', 'outcome', 'count'], [...outcomes.rows.values()],
    'ON CONFLICT (hour_ms, check_id, outcome) DO UPDATE SET count = hourly_outcomes.count + excluded.count');
  const metricRows = [...metrics.rows].map(([key, [hour, check, name, ...stats]]) => [hour!, check!, name!, units.get(key)!, ...stats]);
  await insertRows(q, 'hourly_metrics', ['hour_ms', 'check_id', 'name', 'unit', 'count', 'sum', 'min', 'max'], metricRows,
    `ON CONFLICT (hour_ms, check_id, name) DO UPDATE SET unit = excluded.unit,
      count = hourly_metrics.count + excluded.count, sum = hourly_metrics.sum + excluded.sum,
      min = CASE WHEN excluded.min < hourly_metrics.min THEN excluded.min ELSE hourly_metrics.min END,
      max = CASE WHEN excluded.max > hourly_metrics.max THEN excluded.max ELSE hourly_metrics.max END`);
  await insertRows(q, 'hourly_metric_buckets', ['hour_ms', 'check_id', 'name', 'bucket', 'count'], [...buckets.rows.values()],
    'ON CONFLICT (hour_ms, check_id, name, bucket) DO UPDATE SET count = hourly_metric_buckets.count + excluded.count');
}

/** Outcome counts per check since a time; only the given checks when `checkIds` is set. */
export async function readOutcomeCounts(q: Queryable, since: number, checkIds?: readonly string[]): Promise<Map<string, Record<Outcome, number>>> {
  const filter = inFilter('check_id', checkIds);
  const edgeEnd = nextHourFrom(since);
  type CountRow = { check_id: string; outcome: Outcome; n: number };
  const hourly = await q.all<CountRow>(
    `SELECT check_id, outcome, SUM(count) AS n FROM hourly_outcomes WHERE hour_ms >= ?${filter.sql} GROUP BY check_id, outcome`,
    [edgeEnd, ...filter.params],
  );
  const edge = since < edgeEnd
    ? await q.all<CountRow>(
        `SELECT check_id, outcome, COUNT(*) AS n FROM results WHERE started_ms >= ? AND started_ms < ?${filter.sql} GROUP BY check_id, outcome`,
        [since, edgeEnd, ...filter.params],
      )
    : [];
  const counts = new Map<string, Record<Outcome, number>>();
  for (const row of [...hourly, ...edge]) {
    let check = counts.get(row.check_id);
    if (!check) counts.set(row.check_id, (check = emptyCounts()));
    check[row.outcome] += row.n;
  }
  return counts;
}

export interface MetricStats {
  unit: string;
  count: number;
  sum: number;
  histogram: Histogram;
}

/** Statistics of every metric of every check (or of the given checks) since a time. */
export async function readMetricStats(q: Queryable, since: number, checkIds?: readonly string[]): Promise<Map<string, Map<string, MetricStats>>> {
  const filter = inFilter('check_id', checkIds);
  const edgeEnd = nextHourFrom(since);
  const stats = new Map<string, Map<string, MetricStats>>();
  const statsOf = (checkId: string, name: string, unit: string): MetricStats => {
    let check = stats.get(checkId);
    if (!check) stats.set(checkId, (check = new Map()));
    let metric = check.get(name);
    if (!metric) check.set(name, (metric = { unit, count: 0, sum: 0, histogram: emptyHistogram() }));
    return metric;
  };

  const hourly = await q.all<{ check_id: string; name: string; unit: string; n: number; total: number; low: number; high: number }>(
    `SELECT check_id, name, MAX(unit) AS unit, SUM(count) AS n, SUM(sum) AS total, MIN(min) AS low, MAX(max) AS high
       FROM hourly_metrics WHERE hour_ms >= ?${filter.sql} GROUP BY check_id, name`,
    [edgeEnd, ...filter.params],
  );
  for (const row of hourly) {
    const metric = statsOf(row.check_id, row.name, row.unit);
    metric.count += row.n;
    metric.sum += row.total;
    metric.histogram.min = Math.min(metric.histogram.min, row.low);
    metric.histogram.max = Math.max(metric.histogram.max, row.high);
  }
  const buckets = await q.all<{ check_id: string; name: string; bucket: number; n: number }>(
    `SELECT check_id, name, bucket, SUM(count) AS n FROM hourly_metric_buckets WHERE hour_ms >= ?${filter.sql}
       GROUP BY check_id, name, bucket`,
    [edgeEnd, ...filter.params],
  );
  for (const row of buckets) {
    const metric = stats.get(row.check_id)?.get(row.name);
    if (metric) addToHistogram(metric.histogram, row.bucket, row.n, metric.histogram.min, metric.histogram.max);
  }
  if (since < edgeEnd) {
    const edge = await q.all<{ check_id: string; name: string; unit: string; value: number }>(
      `SELECT m.check_id, m.name, m.unit, m.value FROM results r JOIN metrics m ON m.result_id = r.id
        WHERE r.started_ms >= ? AND r.started_ms < ?${inFilter('r.check_id', checkIds).sql}`,
      [since, edgeEnd, ...filter.params],
    );
    for (const row of edge) {
      const metric = statsOf(row.check_id, row.name, row.unit);
      metric.count += 1;
      metric.sum += row.value;
      addToHistogram(metric.histogram, bucketOf(row.value), 1, row.value, row.value);
    }
  }
  return stats;
}
