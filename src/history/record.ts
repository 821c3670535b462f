// The write path of a check result, run inside one transaction: the result and its attempts, steps,
// metrics and resources, its hour's aggregates, and its check's `latest` row, all or nothing.

import type { CheckResult } from '../check/result.js';
import { nextLatest, type LatestState } from './accounting.js';
import { addToAggregates } from './aggregates.js';
import { insertRows, placeholders, type Dialect, type Queryable } from './database.js';
import {
  ATTEMPT_COLUMNS, childRows, METRIC_COLUMNS, RESOURCE_COLUMNS, RESULT_COLUMNS, resultRow, STEP_COLUMNS,
} from './rows.js';
import type { Health } from './store.js';

interface LatestRow {
  check_id: string;
  health: Health | null;
  since_ms: number;
  consecutive_failures: number;
  seq: number;
}

/**
 * Reads the checks' latest state, locking it until the transaction ends so that two writers of one check
 * (replicas on one PostgreSQL) number its results one after the other.
 */
async function lockLatest(q: Queryable, dialect: Dialect, checkIds: string[]): Promise<Map<string, LatestState | undefined>> {
  // A placeholder row first: a lock needs a row, and the first result of a check has none yet.
  await insertRows(q, 'latest', ['check_id', 'consecutive_failures', 'seq'], checkIds.map((id) => [id, 0, 0]),
    'ON CONFLICT (check_id) DO NOTHING');
  const rows = await q.all<LatestRow>(
    `SELECT check_id, health, since_ms, consecutive_failures, seq FROM latest
      WHERE check_id IN ${placeholders(checkIds.length)} ORDER BY check_id${dialect.forUpdate}`,
    checkIds,
  );
  return new Map(rows.map((row) => [
    row.check_id,
    row.health === null
      ? undefined
      : { health: row.health, sinceMs: row.since_ms, consecutiveFailures: row.consecutive_failures, seq: row.seq },
  ]));
}

export async function recordResults(
  q: Queryable,
  dialect: Dialect,
  runId: string,
  results: readonly CheckResult[],
  now: number,
): Promise<void> {
  const checkIds = results.map((result) => result.id).sort();
  const repeated = checkIds.find((id, i) => checkIds[i + 1] === id);
  if (repeated !== undefined) throw new Error(`check "${repeated}" appears twice in one run`);
  const touched = await q.run('UPDATE runs SET last_seen_ms = ? WHERE run_id = ?', [now, runId]);
  if (touched === 0) throw new Error(`run ${runId} was never begun`);
  if (results.length === 0) return;

  const previous = await lockLatest(q, dialect, checkIds);
  const states = results.map((result) => nextLatest(previous.get(result.id), result.outcome, Date.parse(result.startedAt)));
  const inserted = await insertRows<{ id: number; check_id: string }>(
    q, 'results', RESULT_COLUMNS, results.map((result, i) => resultRow(runId, states[i]!.seq, result)), 'RETURNING id, check_id',
  );
  const idOf = new Map(inserted.map((row) => [row.check_id, row.id]));

  const children = results.map((result) => childRows(idOf.get(result.id)!, result));
  await insertRows(q, 'attempts', ATTEMPT_COLUMNS, children.flatMap((c) => c.attempts));
  await insertRows(q, 'steps', STEP_COLUMNS, children.flatMap((c) => c.steps));
  await insertRows(q, 'metrics', METRIC_COLUMNS, children.flatMap((c) => c.metrics));
  await insertRows(q, 'resources', RESOURCE_COLUMNS, children.flatMap((c) => c.resources));
  await addToAggregates(q, results);

  await insertRows(
    q, 'latest', ['check_id', 'result_id', 'health', 'since_ms', 'consecutive_failures', 'seq'],
    results.map((result, i) => {
      const state = states[i]!;
      return [result.id, idOf.get(result.id)!, state.health, state.sinceMs, state.consecutiveFailures, state.seq];
    }),
    `ON CONFLICT (check_id) DO UPDATE SET result_id = excluded.result_id, health = excluded.health,
      since_ms = excluded.since_ms, consecutive_failures = excluded.consecutive_failures, seq = excluded.seq`,
  );
}
