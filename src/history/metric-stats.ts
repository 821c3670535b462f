// The statistics of each metric over a window [since, now], for summaries: count, mean, min and max from
// the hourly aggregates, percentiles from the daily histograms, and the raw results of the part-hour and
// part-day before those begin. Exact while raw results are kept; percentiles within 1 % (sketch.ts).

import { nextHourFrom, readHourlyMetrics } from './aggregates.js';
import { inFilter, type Queryable } from './database.js';
import { nextDayFrom, readDailyHistograms } from './histograms.js';
import { addToHistogram, bucketOf, emptyHistogram, includeInRange, type Histogram } from './sketch.js';

export interface MetricStats {
  unit: string;
  count: number;
  sum: number;
  histogram: Histogram;
}

export async function readMetricStats(q: Queryable, since: number, checkIds?: readonly string[]): Promise<Map<string, Map<string, MetricStats>>> {
  const hourEdge = nextHourFrom(since);
  const dayEdge = nextDayFrom(since);
  const stats = new Map<string, Map<string, MetricStats>>();
  const statsOf = (checkId: string, name: string, unit: string): MetricStats => {
    let check = stats.get(checkId);
    if (!check) stats.set(checkId, (check = new Map()));
    let metric = check.get(name);
    if (!metric) check.set(name, (metric = { unit, count: 0, sum: 0, histogram: emptyHistogram() }));
    return metric;
  };

  for (const row of await readHourlyMetrics(q, hourEdge, checkIds)) {
    const metric = statsOf(row.check_id, row.name, row.unit);
    metric.count += row.n;
    metric.sum += row.total;
    includeInRange(metric.histogram, row.low, row.high);
  }
  for (const row of await readDailyHistograms(q, dayEdge, checkIds)) {
    const histogram = stats.get(row.checkId)?.get(row.name)?.histogram;
    if (histogram) for (const [bucket, count] of row.buckets) addToHistogram(histogram, bucket, count);
  }
  if (since < dayEdge) {
    const filter = inFilter('check_id', checkIds);
    const edge = await q.all<{ check_id: string; name: string; unit: string; value: number; started_ms: number }>(
      `SELECT check_id, name, unit, value, started_ms FROM metrics WHERE started_ms >= ? AND started_ms < ?${filter.sql}`,
      [since, dayEdge, ...filter.params],
    );
    for (const row of edge) {
      const metric = statsOf(row.check_id, row.name, row.unit);
      addToHistogram(metric.histogram, bucketOf(row.value), 1);
      // After the hour edge, the hourly aggregates counted it already.
      if (row.started_ms < hourEdge) {
        metric.count += 1;
        metric.sum += row.value;
        includeInRange(metric.histogram, row.value, row.value);
      }
    }
  }
  return stats;
}
