// The write path of a check result, run inside one transaction: the result and its attempts, steps,
// metrics and resources, its hour's aggregates, and its check's `latest` row, all or nothing.

import type { CheckResult } from '../check/result.js';
import { nextLatest, type LatestState } from './accounting.js';
import { addToAggregates } from './aggregates.js';
import { addToHistograms } from './histograms.js';
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

/** One result of one run. */
export interface RunResultEntry {
  runId: string;
  result: CheckResult;
}

const pairKey = (runId: string, checkId: string) => `${runId}\u0000${checkId}`;

/**
 * Records results, in the order given (the order in which a check's results happened), of runs already
 * inserted. A run records each check once.
 */
export async function recordResults(q: Queryable, dialect: Dialect, entries: readonly RunResultEntry[], now: number): Promise<void> {
  const pairs = new Set<string>();
  for (const { runId, result } of entries) {
    const key = pairKey(runId, result.id);
    if (pairs.has(key)) throw new Error(`check "${result.id}" appears twice in run ${runId}`);
    pairs.add(key);
  }
  if (entries.length === 0) return;
  const runIds = [...new Set(entries.map((entry) => entry.runId))];
  const touched = await q.run(`UPDATE runs SET last_seen_ms = ? WHERE run_id IN ${placeholders(runIds.length)}`, [now, ...runIds]);
  const known = await q.all<{ run_id: string; deployment_version: string | null }>(
    `SELECT run_id, deployment_version FROM runs WHERE run_id IN ${placeholders(runIds.length)}`, runIds);
  if (touched < runIds.length) {
    const missing = runIds.filter((runId) => !known.some((row) => row.run_id === runId));
    throw new Error(`run ${missing.join(', ')} was never begun`);
  }
  const versionOf = new Map(known.map((row) => [row.run_id, row.deployment_version]));

  const latest = await lockLatest(q, dialect, [...new Set(entries.map((entry) => entry.result.id))].sort());
  const seqs = entries.map(({ result }) => {
    const state = nextLatest(latest.get(result.id), result.outcome, Date.parse(result.startedAt), result.maintenance !== undefined);
    latest.set(result.id, state);
    return state.seq;
  });
  const inserted = await insertRows<{ id: number; run_id: string; check_id: string }>(
    q, 'results', RESULT_COLUMNS, entries.map(({ runId, result }, i) => resultRow(runId, seqs[i]!, result, versionOf.get(runId) ?? null)),
    'RETURNING id, run_id, check_id',
  );
  const idOf = new Map(inserted.map((row) => [pairKey(row.run_id, row.check_id), row.id]));
  const lastIdOf = new Map(entries.map(({ runId, result }) => [result.id, idOf.get(pairKey(runId, result.id))!]));

  const children = entries.map(({ runId, result }) => childRows(idOf.get(pairKey(runId, result.id))!, result, versionOf.get(runId) ?? null));
  await insertRows(q, 'attempts', ATTEMPT_COLUMNS, children.flatMap((c) => c.attempts));
  await insertRows(q, 'steps', STEP_COLUMNS, children.flatMap((c) => c.steps));
  await insertRows(q, 'metrics', METRIC_COLUMNS, children.flatMap((c) => c.metrics));
  await insertRows(q, 'resources', RESOURCE_COLUMNS, children.flatMap((c) => c.resources));
  const results = entries.map((entry) => entry.result);
  await addToAggregates(q, results);
  await addToHistograms(q, dialect, results);

  await insertRows(
    q, 'latest', ['check_id', 'result_id', 'health', 'since_ms', 'consecutive_failures', 'seq'],
    [...latest].map(([checkId, state]) => [checkId, lastIdOf.get(checkId)!, state!.health, state!.sinceMs, state!.consecutiveFailures, state!.seq]),
    `ON CONFLICT (check_id) DO UPDATE SET result_id = excluded.result_id, health = excluded.health,
      since_ms = excluded.since_ms, consecutive_failures = excluded.consecutive_failures, seq = excluded.seq`,
  );
}
