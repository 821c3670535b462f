// Deletes what the retention policy no longer keeps, a small batch per transaction, so that a check that
// ends meanwhile records its result between two batches instead of waiting for the whole prune.

import { hourOf } from './aggregates.js';
import { dayOf } from './histograms.js';
import type { Database } from './database.js';
import type { PruneReport, RetentionPolicy } from './store.js';

const BATCH = 1000;
const AGGREGATES = [
  { table: 'hourly_outcomes', time: 'hour_ms' },
  { table: 'hourly_metrics', time: 'hour_ms' },
  { table: 'daily_metric_histograms', time: 'day_ms' },
] as const;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a batch delete until it deletes nothing; returns how many rows went. */
async function inBatches(db: Database, sql: string, params: readonly number[]): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.write((q) => q.run(sql, params));
    total += deleted;
    if (deleted === 0) return total;
    await nextTurn();
  }
}

export async function pruneHistory(db: Database, now: number, policy: RetentionPolicy): Promise<PruneReport> {
  // Attempts, steps, metrics and resources go with their result (ON DELETE CASCADE).
  const results =
    (await inBatches(db,
      `DELETE FROM results WHERE id IN (SELECT id FROM results
        WHERE started_ms < ? AND outcome NOT IN ('failed', 'error') LIMIT ?)`,
      [now - policy.raw, BATCH])) +
    (await inBatches(db, 'DELETE FROM results WHERE id IN (SELECT id FROM results WHERE started_ms < ? LIMIT ?)',
      [now - policy.failed, BATCH]));

  // The oldest hour or day per batch: a few rows per check. An hour or day goes once all of it is older
  // than the retention.
  let aggregates = 0;
  for (const { table, time } of AGGREGATES) {
    aggregates += await inBatches(db,
      `DELETE FROM ${table} WHERE ${time} < ? AND ${time} <= (SELECT MIN(${time}) FROM ${table})`,
      [time === 'day_ms' ? dayOf(now - policy.aggregates) : hourOf(now - policy.aggregates)]);
  }

  const runs = await inBatches(db,
    `DELETE FROM runs WHERE run_id IN (SELECT run_id FROM runs
      WHERE started_ms < ? AND outcome IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM results WHERE results.run_id = runs.run_id) LIMIT ?)`,
    [now - Math.max(policy.raw, policy.failed), BATCH]);

  return { results, aggregates, runs };
}
