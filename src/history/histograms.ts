// Daily histograms of each check's metrics, for percentiles: one row per check, metric and day holding the
// counts per logarithmic bucket (sketch.ts) as JSON. A month of them is a few thousand small rows, where
// bucket counts per hour would be a million.

import type { CheckResult } from '../check/result.js';
import { inFilter, insertRows, placeholders, type Dialect, type Queryable } from './database.js';
import { bucketOf } from './sketch.js';

export const DAY_MS = 86_400_000;
export const dayOf = (epochMs: number): number => Math.floor(epochMs / DAY_MS) * DAY_MS;
export const nextDayFrom = (epochMs: number): number => Math.ceil(epochMs / DAY_MS) * DAY_MS;

/** Counts per bucket, as stored: `[bucket, count, bucket, count, ...]` (a flat list parses fastest). */
type StoredBuckets = number[];

function parseBuckets(text: string): Map<number, number> {
  const flat = JSON.parse(text) as StoredBuckets;
  const buckets = new Map<number, number>();
  for (let i = 0; i < flat.length; i += 2) buckets.set(flat[i]!, flat[i + 1]!);
  return buckets;
}

interface HistogramRow {
  day_ms: number;
  check_id: string;
  name: string;
  buckets: string;
}

const COLUMNS = ['day_ms', 'check_id', 'name', 'buckets'];
const keyOf = (day: number, checkId: string, name: string) => `${day}\u0000${checkId}\u0000${name}`;

/** Adds the results' metric values to their days' histograms (inside the transaction that records them). */
export async function addToHistograms(q: Queryable, dialect: Dialect, results: readonly CheckResult[]): Promise<void> {
  const added = new Map<string, { day: number; checkId: string; name: string; buckets: Map<number, number> }>();
  for (const result of results) {
    const day = dayOf(Date.parse(result.startedAt));
    for (const [name, metric] of Object.entries(result.metrics)) {
      const key = keyOf(day, result.id, name);
      let entry = added.get(key);
      if (!entry) added.set(key, (entry = { day, checkId: result.id, name, buckets: new Map() }));
      const bucket = bucketOf(metric.value);
      entry.buckets.set(bucket, (entry.buckets.get(bucket) ?? 0) + 1);
    }
  }
  if (added.size === 0) return;
  const entries = [...added.values()];

  // Read-modify-write under a row lock (PostgreSQL replicas); an empty row first, so there is one to lock.
  await insertRows(q, 'daily_metric_histograms', COLUMNS, entries.map((e) => [e.day, e.checkId, e.name, '[]']),
    'ON CONFLICT (day_ms, check_id, name) DO NOTHING');
  const days = entries.map((e) => e.day);
  const checkIds = [...new Set(entries.map((e) => e.checkId))];
  const stored = await q.all<HistogramRow>(
    `SELECT day_ms, check_id, name, buckets FROM daily_metric_histograms
      WHERE day_ms >= ? AND day_ms <= ? AND check_id IN ${placeholders(checkIds.length)}${dialect.forUpdate}`,
    [Math.min(...days), Math.max(...days), ...checkIds],
  );
  const merged = stored.flatMap((row) => {
    const entry = added.get(keyOf(row.day_ms, row.check_id, row.name));
    if (!entry) return [];
    const buckets = parseBuckets(row.buckets);
    for (const [bucket, count] of entry.buckets) buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
    return [[row.day_ms, row.check_id, row.name, JSON.stringify([...buckets].flat())]];
  });
  await insertRows(q, 'daily_metric_histograms', COLUMNS, merged,
    'ON CONFLICT (day_ms, check_id, name) DO UPDATE SET buckets = excluded.buckets');
}

export interface DailyHistogramRow {
  checkId: string;
  name: string;
  buckets: Map<number, number>;
}

/** The histograms of every metric of every check (or of the given checks) from a day on. */
export async function readDailyHistograms(q: Queryable, fromDay: number, checkIds?: readonly string[]): Promise<DailyHistogramRow[]> {
  const filter = inFilter('check_id', checkIds);
  const rows = await q.all<Omit<HistogramRow, 'day_ms'>>(
    `SELECT check_id, name, buckets FROM daily_metric_histograms WHERE day_ms >= ?${filter.sql}`,
    [fromDay, ...filter.params],
  );
  return rows.map((row) => ({
    checkId: row.check_id,
    name: row.name,
    buckets: parseBuckets(row.buckets),
  }));
}
