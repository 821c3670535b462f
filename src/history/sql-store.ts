// The one HistoryStore, over any Database: SQLite and PostgreSQL differ only below the Database interface,
// so they behave identically by construction. Every failure is a HistoryError naming the store and the act.

import { patternToRegExp } from '../catalogue/pattern.js';
import type { EarlierResult } from '../check/context.js';
import type { CheckResult, MetricResult, Outcome, ResourceRef, RunResult } from '../check/result.js';
import type { Clock } from '../clock.js';
import { readOutcomeCounts } from './aggregates.js';
import { emptyCounts, uptimeOf } from './accounting.js';
import { inFilter, placeholders, type Database, type Queryable } from './database.js';
import type { AbandonmentRule } from './owner.js';
import { recordResults } from './record.js';
import { pruneHistory } from './retention.js';
import {
  metricOf, RESULT_SELECT, toHistoryResults, type AttemptRow, type MetricRow, type ResourceRow, type ResultRow, type StepRow,
} from './rows.js';
import { finishRunRow, insertRuns, RUN_SELECT, toRunRecord, touchRunRows, type RunRow } from './runs.js';
import { summarizeWindow } from './summary.js';
import { readVersions, readVersionSamples, type VersionList, type VersionQuery, type VersionSamples } from './versions.js';
import {
  DEFAULT_RETENTION, HistoryError, type HistoryResult, type HistoryStore, type HistorySummary, type LatestResult,
  type MetricPoint, type PruneReport, type ResultQuery, type RetentionPolicy, type RunFinish, type RunMeta, type RunRecord,
  type Uptime,
} from './store.js';

const DEFAULT_RESULT_LIMIT = 1000;
/** Ids per `IN (...)` when loading the children of many results. */
const ID_CHUNK = 500;

export interface SqlStoreOptions {
  label: string;
  /** Masks secrets (the spec's password) in error messages. */
  redact(text: string): string;
  clock: Clock;
  abandonment: AbandonmentRule;
}

/** Loads the attempts, steps, metrics and resources of results and rebuilds them whole. */
async function hydrate(q: Queryable, rows: readonly ResultRow[]): Promise<HistoryResult[]> {
  const children = { attempts: [] as AttemptRow[], steps: [] as StepRow[], metrics: [] as MetricRow[], resources: [] as ResourceRow[] };
  for (let start = 0; start < rows.length; start += ID_CHUNK) {
    const ids = rows.slice(start, start + ID_CHUNK).map((row) => row.id);
    const where = `WHERE result_id IN ${placeholders(ids.length)}`;
    children.attempts.push(...(await q.all<AttemptRow>(
      `SELECT result_id, attempt, outcome, started_ms, duration_ms, error FROM attempts ${where} ORDER BY result_id, attempt`, ids)));
    children.steps.push(...(await q.all<StepRow>(
      `SELECT result_id, attempt, name, outcome, offset_ms, duration_ms, error FROM steps ${where} ORDER BY result_id, attempt, ordinal`, ids)));
    children.metrics.push(...(await q.all<MetricRow>(
      `SELECT result_id, name, value, unit, limit_value FROM metrics ${where}`, ids)));
    children.resources.push(...(await q.all<ResourceRow>(
      `SELECT result_id, type, resource_id FROM resources ${where} ORDER BY result_id, ordinal`, ids)));
  }
  return toHistoryResults(rows, children);
}

export class SqlHistoryStore implements HistoryStore {
  readonly label: string;

  constructor(private readonly db: Database, private readonly options: SqlStoreOptions) {
    this.label = options.label;
  }

  get database(): Database {
    return this.db;
  }

  beginRun(meta: RunMeta): Promise<void> {
    return this.guard(`cannot record the start of run ${meta.runId}`, () =>
      this.db.write((q) => insertRuns(q, [{ meta }], this.options.abandonment.me, this.options.clock.now())));
  }

  recordCheck(runId: string, result: CheckResult): Promise<void> {
    return this.guard(`cannot record check "${result.id}" of run ${runId}`, () =>
      this.db.write((q) => recordResults(q, this.db.dialect, [{ runId, result }], this.options.clock.now())));
  }

  importRuns(runs: readonly RunResult[]): Promise<void> {
    return this.guard(`cannot import ${runs.length} runs`, () => this.db.write(async (q) => {
      const now = this.options.clock.now();
      await insertRuns(q, runs.map((run) => ({
        meta: { runId: run.runId, rootUrl: run.rootUrl, deploymentVersion: run.deployment.version, startedAt: run.startedAt, toolVersion: run.tool.version },
        finish: { finishedAt: run.finishedAt, outcome: run.outcome, summary: run.summary },
      })), this.options.abandonment.me, now);
      const entries = runs.flatMap((run) => run.checks.map((result) => ({ runId: run.runId, result })));
      await recordResults(q, this.db.dialect, entries, now);
    }));
  }

  finishRun(runId: string, finish: RunFinish): Promise<void> {
    return this.guard(`cannot record the end of run ${runId}`, () => this.db.write((q) => finishRunRow(q, runId, finish)));
  }

  touchRuns(runIds: readonly string[]): Promise<void> {
    return this.guard(`cannot record a sign of life of run ${runIds.join(', ')}`, () =>
      this.db.write((q) => touchRunRows(q, runIds, this.options.clock.now())));
  }

  latestResults(checkIds?: readonly string[]): Promise<LatestResult[]> {
    return this.guard('cannot read the latest results', () => this.db.read(async (q) => {
      const filter = inFilter('l.check_id', checkIds);
      const rows = await q.all<ResultRow & {
        since_ms: number; consecutive_failures: number; health: LatestResult['health']; deployment_version: string | null; since_version: string | null;
      }>(
        `SELECT r.id, r.run_id, r.check_id, r.outcome, r.started_ms, r.duration_ms, r.description, r.tags, r.skip_reason,
                r.error, r.log, r.maintenance, l.since_ms, l.consecutive_failures, l.health, r.deployment_version,
                (SELECT s.deployment_version FROM results s WHERE s.check_id = l.check_id AND s.started_ms = l.since_ms
                  ORDER BY s.id LIMIT 1) AS since_version
           FROM latest l JOIN results r ON r.id = l.result_id WHERE 1 = 1${filter.sql} ORDER BY l.check_id`, filter.params);
      const results = await hydrate(q, rows);
      return rows.map((row, i): LatestResult => ({
        checkId: row.check_id,
        result: results[i]!,
        health: row.health,
        since: new Date(row.since_ms).toISOString(),
        deploymentVersion: row.deployment_version,
        sinceVersion: row.since_version,
        consecutiveFailures: row.consecutive_failures,
      }));
    }));
  }

  results(query: ResultQuery): Promise<HistoryResult[]> {
    return this.guard('cannot read results', () => this.db.read(async (q) => {
      const filter = inFilter('check_id', await this.checksMatching(q, query.checkPattern));
      const until = query.until === undefined ? '' : ' AND started_ms < ?';
      const rows = await q.all<ResultRow>(
        `${RESULT_SELECT} WHERE started_ms >= ?${until}${filter.sql} ORDER BY started_ms DESC, id DESC LIMIT ?`,
        [query.since, ...(query.until === undefined ? [] : [query.until]), ...filter.params, query.limit ?? DEFAULT_RESULT_LIMIT],
      );
      return hydrate(q, rows);
    }));
  }

  async uptime(checkId: string, since: number): Promise<Uptime> {
    const uptimes = await this.guard(`cannot read the uptime of "${checkId}"`, () =>
      this.db.read((q) => this.uptimesOf(q, since, [checkId])));
    return uptimes.get(checkId) ?? uptimeOf(emptyCounts());
  }

  uptimes(since: number, checkIds?: readonly string[]): Promise<Map<string, Uptime>> {
    return this.guard('cannot read uptimes', () => this.db.read((q) => this.uptimesOf(q, since, checkIds)));
  }

  earlierResults(checkId: string, since: number, limit: number): Promise<EarlierResult[]> {
    return this.guard(`cannot read the earlier results of "${checkId}"`, () => this.db.read(async (q) => {
      // Outcome, start, metrics and resources only: what a check judges its trend by (and what an earlier run
      // left for a later one to verify), not the steps and logs of each run.
      const newestFirst = await q.all<{ id: number; started_ms: number; outcome: Outcome }>(
        'SELECT id, started_ms, outcome FROM results WHERE check_id = ? AND started_ms >= ? ORDER BY started_ms DESC, id DESC LIMIT ?',
        [checkId, since, limit]);
      if (newestFirst.length === 0) return [];
      const metricRows = await q.all<MetricRow>(
        `SELECT result_id, name, value, unit, limit_value FROM metrics WHERE result_id IN ${placeholders(newestFirst.length)}`,
        newestFirst.map((row) => row.id));
      const resourceRows = await q.all<ResourceRow>(
        `SELECT result_id, type, resource_id FROM resources WHERE result_id IN ${placeholders(newestFirst.length)} ORDER BY result_id, ordinal`,
        newestFirst.map((row) => row.id));
      const metrics = new Map<number, Record<string, MetricResult>>();
      for (const row of metricRows) metrics.set(row.result_id, { ...metrics.get(row.result_id), [row.name]: metricOf(row) });
      const resources = new Map<number, ResourceRef[]>();
      for (const row of resourceRows) resources.set(row.result_id, [...(resources.get(row.result_id) ?? []), { type: row.type, id: row.resource_id }]);
      return newestFirst.reverse().map((row) => ({
        startedAt: new Date(row.started_ms).toISOString(), outcome: row.outcome, metrics: metrics.get(row.id) ?? {}, resources: resources.get(row.id) ?? [],
      }));
    }));
  }

  metricSeries(checkId: string, metric: string, since: number): Promise<MetricPoint[]> {
    return this.guard(`cannot read metric ${metric} of "${checkId}"`, () => this.db.read(async (q) => {
      const rows = await q.all<{ started_ms: number; value: number; unit: string; limit_value: number | null }>(
        `SELECT started_ms, value, unit, limit_value FROM metrics WHERE check_id = ? AND name = ? AND started_ms >= ?
          ORDER BY started_ms`,
        [checkId, metric, since],
      );
      return rows.map((row) => {
        const { ok: _ok, ...point } = metricOf(row);
        return { at: new Date(row.started_ms).toISOString(), ...point };
      });
    }));
  }

  recentRuns(limit: number): Promise<RunRecord[]> {
    return this.guard('cannot read runs', () => this.db.read(async (q) =>
      (await q.all<RunRow>(`${RUN_SELECT} ORDER BY started_ms DESC LIMIT ?`, [limit])).map(toRunRecord)));
  }

  summarize(query: { pattern?: string; since: number }): Promise<HistorySummary> {
    return this.guard('cannot summarize the history', () => this.db.read(async (q) =>
      summarizeWindow(q, query.since, this.options.clock.now(), await this.checksMatching(q, query.pattern))));
  }

  versions(since: number): Promise<VersionList> {
    return this.guard('cannot read the versions', () => this.db.read((q) => readVersions(q, since)));
  }

  versionSamples(query: VersionQuery): Promise<VersionSamples> {
    return this.guard(`cannot read the results of version ${query.version}`, () => this.db.read(async (q) => {
      const matching = await this.checksMatching(q, query.pattern);
      const checkIds = query.checkIds && matching ? query.checkIds.filter((id) => matching.includes(id)) : query.checkIds ?? matching;
      return readVersionSamples(q, query.version, query.since, checkIds);
    }));
  }

  prune(now: number, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<PruneReport> {
    return this.guard('cannot prune the history', () => pruneHistory(this.db, now, policy));
  }

  close(): Promise<void> {
    return this.guard('cannot close', () => this.db.close());
  }

  private async uptimesOf(q: Queryable, since: number, checkIds?: readonly string[]): Promise<Map<string, Uptime>> {
    const counts = await readOutcomeCounts(q, since, checkIds);
    return new Map([...counts].map(([checkId, checkCounts]) => [checkId, uptimeOf(checkCounts.outcomes, checkCounts.maintenance)]));
  }

  /** The known check ids a pattern matches, or undefined for no pattern (every check). */
  private async checksMatching(q: Queryable, pattern: string | undefined): Promise<string[] | undefined> {
    if (pattern === undefined) return undefined;
    // Without a `*` a pattern is one check id (one check's page, a check's own past): no scan of every id.
    if (!pattern.includes('*')) return [pattern];
    const regex = patternToRegExp(pattern);
    const rows = await q.all<{ check_id: string }>('SELECT check_id FROM latest');
    return rows.map((row) => row.check_id).filter((id) => regex.test(id));
  }

  private async guard<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      // No `cause`: the driver's error could carry connection details into a log.
      throw new HistoryError(this.options.redact(`history ${this.label}: ${action}: ${(error as Error).message}`));
    }
  }
}
