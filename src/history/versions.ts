// What the history knows per deployment version, for `tc-canary compare`: the versions seen and, for one
// version, every check's outcome counts and each metric's newest values. Versions that differ only in build
// metadata (`74.0.1+build.7`, as semver defines it) are one version. A run whose deployment named no version
// (no /__version__, or one without a version) belongs to no version: it is counted apart and compared never.

import type { Outcome } from '../check/result.js';
import { emptyCounts } from './accounting.js';
import { hourOf, readHourlyMetrics } from './aggregates.js';
import { inFilter, type Queryable } from './database.js';

/** Each side of a comparison reads at most this many of a check's newest results and of a metric's newest values: plenty for the tests. */
export const MAX_VALUES_PER_METRIC = 1000;

/** A version without its build metadata. */
export function versionKey(version: string): string {
  const plus = version.indexOf('+');
  return plus < 0 ? version : version.slice(0, plus);
}

export interface VersionSeen {
  /** Without build metadata. */
  version: string;
  /** The recorded spellings it covers (with their build metadata), in order of first sight. */
  spellings: string[];
  runs: number;
  firstSeen: string;
  lastSeen: string;
}

export interface VersionList {
  /** Oldest last seen first: the last is the version of the newest run that named one. */
  versions: VersionSeen[];
  /** Runs since the time whose deployment named no version: in no version's counts. */
  unversionedRuns: number;
}

/** A version's first run after another version's: where the dashboard's plots draw a line. */
export interface VersionChange {
  version: string;
  /** The version's first run, epoch ms. */
  atMs: number;
}

/** Each version's first run, oldest first, but the first version's (it changed from nothing seen). */
export function versionChanges(list: VersionList): VersionChange[] {
  const starts = list.versions.map((seen) => ({ version: seen.version, atMs: Date.parse(seen.firstSeen) })).sort((a, b) => a.atMs - b.atMs);
  return starts.slice(1);
}

export interface MetricValues {
  checkId: string;
  metric: string;
  unit: string;
  /** The newest MAX_VALUES_PER_METRIC, in no particular order. */
  values: number[];
}

export interface VersionQuery {
  /** Build metadata dropped. */
  version: string;
  since: number;
  /** Only checks whose id matches. */
  pattern?: string;
  /** Only these checks (with a pattern too: those of them it matches). */
  checkIds?: readonly string[];
}

export interface VersionSamples {
  metrics: MetricValues[];
  /** The newest MAX_VALUES_PER_METRIC results by outcome, per check. */
  outcomes: Map<string, Record<Outcome, number>>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The versions of the runs started since a time. */
export async function readVersions(q: Queryable, since: number): Promise<VersionList> {
  const rows = await q.all<{ deployment_version: string | null; runs: number; first_ms: number; last_ms: number }>(
    `SELECT deployment_version, COUNT(*) AS runs, MIN(started_ms) AS first_ms, MAX(started_ms) AS last_ms
       FROM runs WHERE started_ms >= ? GROUP BY deployment_version ORDER BY MIN(started_ms)`, [since]);
  const byKey = new Map<string, { spellings: string[]; runs: number; first: number; last: number }>();
  let unversionedRuns = 0;
  for (const row of rows) {
    // PostgreSQL's COUNT is a BIGINT, which pg hands back as a string.
    const runs = Number(row.runs);
    if (row.deployment_version === null || row.deployment_version === '') {
      unversionedRuns += runs;
      continue;
    }
    const key = versionKey(row.deployment_version);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { spellings: [row.deployment_version], runs, first: Number(row.first_ms), last: Number(row.last_ms) });
    else {
      seen.spellings.push(row.deployment_version);
      seen.runs += runs;
      seen.first = Math.min(seen.first, Number(row.first_ms));
      seen.last = Math.max(seen.last, Number(row.last_ms));
    }
  }
  const versions = [...byKey].map(([version, seen]): VersionSeen & { last: number } => ({
    version, spellings: seen.spellings, runs: seen.runs, firstSeen: iso(seen.first), lastSeen: iso(seen.last), last: seen.last,
  }));
  versions.sort((a, b) => a.last - b.last);
  return { versions: versions.map(({ last: _last, ...version }) => version), unversionedRuns };
}

/** Every recorded spelling of a version (any build metadata), whenever its runs started. */
async function spellingsOf(q: Queryable, version: string): Promise<string[]> {
  const rows = await q.all<{ deployment_version: string }>(
    "SELECT DISTINCT deployment_version FROM runs WHERE deployment_version = ? OR deployment_version LIKE ? ESCAPE '\\'",
    [version, `${version.replace(/[\\%_]/g, '\\$&')}+%`]);
  return rows.map((row) => row.deployment_version).filter((spelling) => versionKey(spelling) === version);
}

/**
 * One version's outcome counts and metric values since a time, of every check or of the given ones: each check's
 * newest MAX_VALUES_PER_METRIC results and each metric's newest values, so that a side costs the same whatever the
 * history holds. Which checks and metrics there are comes from the hourly aggregates (a few rows per check and
 * hour); each is then one backward walk of the results_version or metrics_version index.
 */
export async function readVersionSamples(q: Queryable, version: string, since: number, checkIds?: readonly string[]): Promise<VersionSamples> {
  const spellings = inFilter('deployment_version', await spellingsOf(q, version));
  const checks = inFilter('check_id', checkIds);
  const newest = (table: string, column: string, extra: string) =>
    `SELECT ${column} FROM ${table} WHERE check_id = ?${extra}${spellings.sql} AND started_ms >= ? ORDER BY started_ms DESC LIMIT ?`;

  const outcomes = new Map<string, Record<Outcome, number>>();
  const checksSeen = await q.all<{ check_id: string }>(
    `SELECT DISTINCT check_id FROM hourly_outcomes WHERE hour_ms >= ?${checks.sql}`, [hourOf(since), ...checks.params]);
  for (const { check_id: checkId } of checksSeen) {
    const rows = await q.all<{ outcome: Outcome }>(newest('results', 'outcome', ''), [checkId, ...spellings.params, since, MAX_VALUES_PER_METRIC]);
    if (rows.length === 0) continue;
    const counts = emptyCounts();
    for (const row of rows) counts[row.outcome] += 1;
    outcomes.set(checkId, counts);
  }
  const metrics: MetricValues[] = [];
  for (const { check_id: checkId, name, unit } of await readHourlyMetrics(q, hourOf(since), checkIds)) {
    if (!outcomes.has(checkId)) continue;
    const rows = await q.all<{ value: number }>(newest('metrics', 'value', ' AND name = ?'), [checkId, name, ...spellings.params, since, MAX_VALUES_PER_METRIC]);
    if (rows.length > 0) metrics.push({ checkId, metric: name, unit, values: rows.map((row) => row.value) });
  }
  return { metrics, outcomes };
}
