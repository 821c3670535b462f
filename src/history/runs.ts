// Run rows: begun before the first check, finished after the last, and marked aborted when the process that
// owned them died in between. The checks it recorded stay; each check it set out to run but never recorded
// gets a result too, an error of kind `aborted`, so the death shows in the check's own history.

import type { CheckResult, Outcome, RunSummary } from '../check/result.js';
import type { PlannedCheck } from '../report/reporter.js';
import { emptyCounts } from './accounting.js';
import { insertRows, placeholders, type Database, type Dialect, type Queryable } from './database.js';
import { abandonmentReason, type AbandonmentRule, type RunOwner } from './owner.js';
import { recordResults } from './record.js';
import type { RunFinish, RunMeta, RunRecord } from './store.js';

export interface RunRow {
  run_id: string;
  root_url: string;
  deployment_version: string | null;
  tool_version: string;
  started_ms: number;
  finished_ms: number | null;
  outcome: RunRecord['outcome'] | null;
  summary: string | null;
  abort_reason: string | null;
  run_group: string | null;
}

export const RUN_SELECT = `SELECT run_id, root_url, deployment_version, tool_version, started_ms, finished_ms, outcome,
  summary, abort_reason, run_group FROM runs`;

export function toRunRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    rootUrl: row.root_url,
    deploymentVersion: row.deployment_version,
    toolVersion: row.tool_version,
    startedAt: new Date(row.started_ms).toISOString(),
    ...(row.finished_ms !== null && { finishedAt: new Date(row.finished_ms).toISOString() }),
    ...(row.outcome !== null && { outcome: row.outcome }),
    ...(row.summary !== null && { summary: JSON.parse(row.summary) as RunSummary }),
    ...(row.abort_reason !== null && { abortReason: row.abort_reason }),
    ...(row.run_group !== null && { runGroup: row.run_group }),
  };
}

const RUN_COLUMNS = [
  'run_id', 'root_url', 'deployment_version', 'tool_version', 'started_ms', 'finished_ms', 'outcome', 'summary',
  'owner_host', 'owner_pid', 'owner_started_ms', 'last_seen_ms', 'planned_checks', 'run_group',
] as const;

/** Inserts runs: begun (no finish yet) or, for imports, finished already. */
export async function insertRuns(
  q: Queryable,
  runs: readonly { meta: RunMeta; finish?: RunFinish }[],
  owner: RunOwner,
  now: number,
): Promise<void> {
  await insertRows(q, 'runs', RUN_COLUMNS, runs.map(({ meta, finish }) => [
    meta.runId, meta.rootUrl, meta.deploymentVersion, meta.toolVersion, Date.parse(meta.startedAt),
    finish ? Date.parse(finish.finishedAt) : null, finish?.outcome ?? null, finish ? JSON.stringify(finish.summary) : null,
    owner.host, owner.pid, owner.processStartedMs, now, meta.plannedChecks ? JSON.stringify(meta.plannedChecks) : null,
    meta.runGroup ?? null,
  ]));
}

export async function finishRunRow(q: Queryable, runId: string, finish: RunFinish): Promise<void> {
  const changed = await q.run('UPDATE runs SET finished_ms = ?, outcome = ?, summary = ?, abort_reason = NULL WHERE run_id = ?',
    [Date.parse(finish.finishedAt), finish.outcome, JSON.stringify(finish.summary), runId]);
  if (changed === 0) throw new Error(`run ${runId} was never begun`);
}

export async function touchRunRows(q: Queryable, runIds: readonly string[], now: number): Promise<void> {
  if (runIds.length === 0) return;
  await q.run(`UPDATE runs SET last_seen_ms = ? WHERE outcome IS NULL AND run_id IN ${placeholders(runIds.length)}`, [now, ...runIds]);
}

interface UnfinishedRow {
  run_id: string;
  owner_host: string;
  owner_pid: number;
  owner_started_ms: number;
  last_seen_ms: number;
  planned_checks: string | null;
}

/** The result of a check the run never finished: it was running or waiting when its process died. */
function abortedResult(check: PlannedCheck, lastSeenMs: number, reason: string): CheckResult {
  return {
    id: check.id, description: check.description, tags: check.tags, outcome: 'error',
    startedAt: new Date(lastSeenMs).toISOString(), durationMs: 0,
    attempts: [], steps: [], metrics: {}, resources: [], log: [],
    error: { kind: 'aborted', message: `not finished: ${reason}` },
  };
}

/**
 * Records an aborted result for each check the run set out to run but never recorded, unless the check has a
 * result since (another process ran it): a dead run must not make a check look down after it recovered.
 */
async function recordUnfinished(q: Queryable, dialect: Dialect, run: UnfinishedRow, lastSeenMs: number, reason: string, now: number): Promise<void> {
  const planned = new Map((run.planned_checks === null ? [] : (JSON.parse(run.planned_checks) as PlannedCheck[])).map((check) => [check.id, check]));
  if (planned.size === 0) return;
  const recorded = await q.all<{ check_id: string }>('SELECT check_id FROM results WHERE run_id = ?', [run.run_id]);
  for (const { check_id: id } of recorded) planned.delete(id);
  const ids = [...planned.keys()];
  if (ids.length === 0) return;
  const newer = await q.all<{ check_id: string }>(
    `SELECT DISTINCT check_id FROM results WHERE started_ms >= ? AND check_id IN ${placeholders(ids.length)}`, [lastSeenMs, ...ids]);
  for (const { check_id: id } of newer) planned.delete(id);
  await recordResults(q, dialect, [...planned.values()].map((check) => ({ runId: run.run_id, result: abortedResult(check, lastSeenMs, reason) })), now);
}

/** Marks the unfinished runs whose owner is gone as aborted, with the summary of what they recorded. */
export async function abortAbandonedRuns(db: Database, now: number, rule: AbandonmentRule): Promise<string[]> {
  const unfinished = await db.read((q) => q.all<UnfinishedRow>(
    'SELECT run_id, owner_host, owner_pid, owner_started_ms, last_seen_ms, planned_checks FROM runs WHERE outcome IS NULL'));
  const aborted: string[] = [];
  for (const run of unfinished) {
    const owner = { host: run.owner_host, pid: run.owner_pid, processStartedMs: run.owner_started_ms };
    if (abandonmentReason(owner, run.last_seen_ms, now, rule) === undefined) continue;
    const marked = await db.write(async (q) => {
      // Decided again under the lock: the run may have finished, been marked by another replica, or shown a
      // sign of life since it was read.
      const [current] = await q.all<{ outcome: string | null; last_seen_ms: number }>(
        `SELECT outcome, last_seen_ms FROM runs WHERE run_id = ?${db.dialect.forUpdate}`, [run.run_id]);
      if (!current || current.outcome !== null) return 0;
      const reason = abandonmentReason(owner, current.last_seen_ms, now, rule);
      if (reason === undefined) return 0;
      await recordUnfinished(q, db.dialect, run, current.last_seen_ms, reason, now);
      const counts = await q.all<{ outcome: Outcome; n: number }>(
        'SELECT outcome, COUNT(*) AS n FROM results WHERE run_id = ? GROUP BY outcome', [run.run_id]);
      const summary = emptyCounts();
      for (const { outcome, n } of counts) summary[outcome] = n;
      return q.run(
        `UPDATE runs SET outcome = 'aborted', finished_ms = ?, summary = ?, abort_reason = ?
          WHERE run_id = ? AND outcome IS NULL`,
        // Its last sign of life: recording the aborted results above moved last_seen_ms to now.
        [current.last_seen_ms, JSON.stringify(summary), reason, run.run_id],
      );
    });
    if (marked > 0) aborted.push(run.run_id);
  }
  return aborted;
}
