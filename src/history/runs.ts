// Run rows: begun before the first check, finished after the last, and marked aborted when the process that
// owned them died in between (the checks it recorded stay; those it never recorded simply are not there).

import type { Outcome, RunSummary } from '../check/result.js';
import { emptyCounts } from './accounting.js';
import { insertRows, type Database, type Queryable } from './database.js';
import { abandonmentReason, type AbandonmentRule, type RunOwner } from './owner.js';
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
}

export const RUN_SELECT = `SELECT run_id, root_url, deployment_version, tool_version, started_ms, finished_ms, outcome,
  summary, abort_reason FROM runs`;

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
  };
}

const RUN_COLUMNS = [
  'run_id', 'root_url', 'deployment_version', 'tool_version', 'started_ms', 'finished_ms', 'outcome', 'summary',
  'owner_host', 'owner_pid', 'owner_started_ms', 'last_seen_ms',
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
    owner.host, owner.pid, owner.processStartedMs, now,
  ]));
}

export async function finishRunRow(q: Queryable, runId: string, finish: RunFinish): Promise<void> {
  const changed = await q.run('UPDATE runs SET finished_ms = ?, outcome = ?, summary = ?, abort_reason = NULL WHERE run_id = ?',
    [Date.parse(finish.finishedAt), finish.outcome, JSON.stringify(finish.summary), runId]);
  if (changed === 0) throw new Error(`run ${runId} was never begun`);
}

interface UnfinishedRow {
  run_id: string;
  owner_host: string;
  owner_pid: number;
  owner_started_ms: number;
  last_seen_ms: number;
}

/** Marks the unfinished runs whose owner is gone as aborted, with the summary of what they recorded. */
export async function abortAbandonedRuns(db: Database, now: number, rule: AbandonmentRule): Promise<string[]> {
  const unfinished = await db.read((q) => q.all<UnfinishedRow>(
    'SELECT run_id, owner_host, owner_pid, owner_started_ms, last_seen_ms FROM runs WHERE outcome IS NULL'));
  const aborted: string[] = [];
  for (const run of unfinished) {
    const owner = { host: run.owner_host, pid: run.owner_pid, processStartedMs: run.owner_started_ms };
    const reason = abandonmentReason(owner, run.last_seen_ms, now, rule);
    if (reason === undefined) continue;
    const marked = await db.write(async (q) => {
      const counts = await q.all<{ outcome: Outcome; n: number }>(
        'SELECT outcome, COUNT(*) AS n FROM results WHERE run_id = ? GROUP BY outcome', [run.run_id]);
      const summary = emptyCounts();
      for (const { outcome, n } of counts) summary[outcome] = n;
      // outcome IS NULL again: the run may have finished since it was read.
      return q.run(
        `UPDATE runs SET outcome = 'aborted', finished_ms = last_seen_ms, summary = ?, abort_reason = ?
          WHERE run_id = ? AND outcome IS NULL`,
        [JSON.stringify(summary), reason, run.run_id],
      );
    });
    if (marked > 0) aborted.push(run.run_id);
  }
  return aborted;
}
