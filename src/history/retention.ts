// Deletes what the retention policy no longer keeps, a small batch per transaction, so that a check that
// ends meanwhile records its result between two batches instead of waiting for the whole prune.

import { hourOf } from './aggregates.js';
import type { Database } from './database.js';
import type { PruneReport, RetentionPolicy } from './store.js';

const BATCH = 1000;
const AGGREGATE_TABLES = ['hourly_outcomes', 'hourly_metrics', 'hourly_metric_buckets'] as const;

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

  // One hour (the oldest) per batch: at most a few rows per check.
  let aggregates = 0;
  for (const table of AGGREGATE_TABLES) {
    aggregates += await inBatches(db,
      `DELETE FROM ${table} WHERE hour_ms < ? AND hour_ms <= (SELECT MIN(hour_ms) FROM ${table})`,
      [hourOf(now - policy.aggregates)]);
  }

  const runs = await inBatches(db,
    `DELETE FROM runs WHERE run_id IN (SELECT run_id FROM runs
      WHERE started_ms < ? AND outcome IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM results WHERE results.run_id = runs.run_id) LIMIT ?)`,
    [now - Math.max(policy.raw, policy.failed), BATCH]);

  return { results, aggregates, runs };
}
