// What the history keeps and how the runner, `serve` and `tc-canary history` use it. Two implementations
// (SQLite, PostgreSQL) share one SQL store, so they behave identically; see sql-store.ts.
//
// Times passed in are epoch milliseconds (from the injectable clock); times handed back are ISO strings,
// like every other result field.

import type { CheckResult, Outcome, RunResult, RunSummary } from '../check/result.js';
import type { EarlierResult } from '../check/context.js';
import type { PlannedCheck } from '../report/reporter.js';
import type { Database } from './database.js';
import type { VersionList, VersionQuery, VersionSamples } from './versions.js';

/** A run that never finished (its process died) is `aborted`; check results never are. */
export type HistoryOutcome = Outcome | 'aborted';
export type RunOutcome = 'passed' | 'failed';

export interface RunMeta {
  runId: string;
  rootUrl: string;
  deploymentVersion: string | null;
  startedAt: string;
  toolVersion: string;
  /** The checks the run set out to run: those it never records are recorded aborted if its process dies. */
  plannedChecks?: PlannedCheck[];
  /** Shared by the runs of one `tc-canary run --repeat N`. */
  runGroup?: string;
}

export interface RunFinish {
  finishedAt: string;
  outcome: RunOutcome;
  summary: RunSummary;
}

export interface RunRecord extends RunMeta {
  /** Absent while the run is in progress. */
  finishedAt?: string;
  outcome?: RunOutcome | 'aborted';
  summary?: RunSummary;
  /** Why a run was marked aborted. */
  abortReason?: string;
}

/** A recorded check result and the run it belongs to; `maintenance` is set when it ran inside a window. */
export interface HistoryResult extends CheckResult {
  runId: string;
}

/** up: passed or flaky; down: failed or error; skipped: neither (it changes no streak). From the outcome alone. */
export type Health = 'up' | 'down' | 'skipped';

export interface LatestResult {
  checkId: string;
  /** Its `maintenance` ({reason, until}) says when the latest result ran inside a maintenance window. */
  result: HistoryResult;
  /** The latest result's, inside maintenance too: a failure in a window is `down`, though it counts apart. */
  health: Health;
  /** When the check's current health began (the first result of the current up/down/skipped stretch). */
  since: string;
  /** The deployment version the latest result ran on; null when its deployment named none. */
  deploymentVersion: string | null;
  /** The version the first result of the current stretch ran on; null when unknown (none named, or pruned). */
  sinceVersion: string | null;
  /**
   * Failed or errored results in a row, up to the latest; skipped results and results inside maintenance
   * (whatever their outcome) neither count nor reset it.
   */
  consecutiveFailures: number;
}

export interface ResultQuery {
  /** Matches whole check ids; `*` matches any characters, dots and slashes included. */
  checkPattern?: string;
  since: number;
  /** Exclusive; defaults to no upper bound. */
  until?: number;
  /** Newest first; default 1000. */
  limit?: number;
}

export interface Uptime {
  /** Passed and flaky results outside maintenance. */
  up: number;
  /** Results that count: every outcome except skipped, outside maintenance. */
  counted: number;
  /** up / counted, 0..1; null when nothing counted. */
  ratio: number | null;
  /** Results that ran inside a maintenance window and would otherwise count (not skipped): in neither up nor counted. */
  inMaintenance: number;
}

export interface MetricPoint {
  at: string;
  value: number;
  unit: string;
  limit?: number;
}

export interface MetricSummary {
  unit: string;
  count: number;
  mean: number;
  min: number;
  max: number;
  /** Percentiles within 1 % of the exact value: they come from the hourly aggregates' histograms. */
  p50: number;
  p95: number;
  p99: number;
}

/** Failed/errored results in a row, outside maintenance. */
export interface FailingStreak {
  length: number;
  from: string;
  to: string;
}

/** The latest failed or errored result outside maintenance. */
export interface LastFailure {
  at: string;
  runId: string;
  outcome: 'failed' | 'error';
  /** The error message, prefixed by the step that was running when there was one. */
  reason: string;
}

export interface CheckSummary {
  checkId: string;
  /** Every result by outcome, inside maintenance too (uptime.inMaintenance says how many were). */
  counts: Record<Outcome, number>;
  uptime: Uptime;
  /** flaky / (passed + flaky), 0..1; null when nothing passed. */
  flakyRate: number | null;
  metrics: Record<string, MetricSummary>;
  longestFailingStreak: FailingStreak | null;
  lastFailure: LastFailure | null;
}

export interface HistorySummary {
  since: string;
  until: string;
  checks: CheckSummary[];
  runs: { total: number; aborted: number; lastAborted?: RunRecord };
}

/** The summary of a history that holds nothing (none recorded yet). */
export function emptySummary(since: number, now: number): HistorySummary {
  return { since: new Date(since).toISOString(), until: new Date(now).toISOString(), checks: [], runs: { total: 0, aborted: 0 } };
}

/** How long each kind of row is kept, in milliseconds. */
export interface RetentionPolicy {
  /** Passed, flaky and skipped results. */
  raw: number;
  /** Failed and errored results. */
  failed: number;
  /** Hourly aggregates (counts by outcome, metric statistics). */
  aggregates: number;
}

const DAY = 86_400_000;
export const DEFAULT_RETENTION: RetentionPolicy = { raw: 30 * DAY, failed: 90 * DAY, aggregates: 365 * DAY };

export interface PruneReport {
  results: number;
  aggregates: number;
  runs: number;
}

export interface HistoryStore {
  /** The store's spec with any password masked, for messages. */
  readonly label: string;
  /** The database itself, for modules that keep their own tables beside the history (alert state). */
  readonly database: Database;

  beginRun(meta: RunMeta): Promise<void>;
  /** Stores one check's result with its attempts, steps, metrics and resources in one transaction. */
  recordCheck(runId: string, result: CheckResult): Promise<void>;
  /**
   * Stores finished runs whole, in one transaction: a JSON report written while the history could not be
   * (so no result is lost), or a bulk load. Runs in the order they happened.
   */
  importRuns(runs: readonly RunResult[]): Promise<void>;
  finishRun(runId: string, finish: RunFinish): Promise<void>;
  /** Refreshes the last sign of life of runs still in progress: if their process dies, their end is put there. */
  touchRuns(runIds: readonly string[]): Promise<void>;

  /** The latest result of every check, or of the given ones only (a status poll for one check). */
  latestResults(checkIds?: readonly string[]): Promise<LatestResult[]>;
  results(query: ResultQuery): Promise<HistoryResult[]>;
  uptime(checkId: string, since: number): Promise<Uptime>;
  /** Uptime of every check (or of the given ones) since a time, by check id (what a status page needs in one query). */
  uptimes(since: number, checkIds?: readonly string[]): Promise<Map<string, Uptime>>;
  /** One check's newest results since a time (at most `limit`), oldest first: start, outcome and metrics only. */
  earlierResults(checkId: string, since: number, limit: number): Promise<EarlierResult[]>;
  metricSeries(checkId: string, metric: string, since: number): Promise<MetricPoint[]>;
  recentRuns(limit: number): Promise<RunRecord[]>;
  summarize(query: { pattern?: string; since: number }): Promise<HistorySummary>;
  /** The deployment versions of the runs started since a time (build metadata dropped), with their run counts. */
  versions(since: number): Promise<VersionList>;
  /** What one version (build metadata dropped) recorded since a time: outcome counts and metric values per check. */
  versionSamples(query: VersionQuery): Promise<VersionSamples>;

  /** Deletes what the policy no longer keeps, in small batches so that recording never waits long. */
  prune(now: number, policy?: RetentionPolicy): Promise<PruneReport>;
  close(): Promise<void>;
}

/** Every failure of a history store: names the store (password masked) and what it was doing. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
}
