// The history's schema, as numbered steps applied in order and never edited once released: a change is a new
// step. Written once for both databases; the dialect words are the auto-numbered key and clustered tables.
//
// Times are epoch milliseconds (BIGINT) in both, so every comparison and bucket is the same arithmetic.
// JSON-shaped fields (tags, log, errors, summaries) are stored as text: they are only ever read back whole.

import type { Dialect } from '../database.js';

export interface MigrationStep {
  version: number;
  name: string;
  statements(dialect: Dialect): string[];
}

export const MIGRATIONS: readonly MigrationStep[] = [
  {
    version: 1,
    name: 'runs, results and hourly aggregates',
    statements: ({ autoId, clustered }) => [
      `CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        root_url TEXT NOT NULL,
        deployment_version TEXT,
        tool_version TEXT NOT NULL,
        started_ms BIGINT NOT NULL,
        finished_ms BIGINT,
        outcome TEXT,
        summary TEXT,
        abort_reason TEXT,
        owner_host TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started_ms BIGINT NOT NULL,
        last_seen_ms BIGINT NOT NULL
      )`,
      'CREATE INDEX runs_started ON runs (started_ms)',
      'CREATE INDEX runs_unfinished ON runs (run_id) WHERE outcome IS NULL',

      // seq numbers a check's counted (non-skipped) results in order, so failing streaks survive the pruning
      // of the passed results between them.
      `CREATE TABLE results (
        id ${autoId},
        run_id TEXT NOT NULL REFERENCES runs (run_id),
        check_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        started_ms BIGINT NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        description TEXT NOT NULL,
        tags TEXT NOT NULL,
        skip_reason TEXT,
        error TEXT,
        log TEXT NOT NULL,
        UNIQUE (run_id, check_id)
      )`,
      'CREATE INDEX results_check_started ON results (check_id, started_ms)',
      'CREATE INDEX results_started ON results (started_ms)',
      // Failing streaks and last failures read only these columns of the few failed results.
      "CREATE INDEX results_failing ON results (started_ms, check_id, seq, outcome) WHERE outcome IN ('failed', 'error')",

      `CREATE TABLE attempts (
        result_id BIGINT NOT NULL REFERENCES results (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        started_ms BIGINT NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        error TEXT,
        PRIMARY KEY (result_id, attempt)
      )`,
      `CREATE TABLE steps (
        result_id BIGINT NOT NULL REFERENCES results (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        outcome TEXT NOT NULL,
        offset_ms DOUBLE PRECISION NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        error TEXT,
        PRIMARY KEY (result_id, attempt, ordinal)
      )`,
      // check_id and started_ms repeat the result's so that a metric's values over time are one index range.
      `CREATE TABLE metrics (
        result_id BIGINT NOT NULL REFERENCES results (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        unit TEXT NOT NULL,
        limit_value DOUBLE PRECISION,
        check_id TEXT NOT NULL,
        started_ms BIGINT NOT NULL,
        PRIMARY KEY (result_id, name)
      )`,
      'CREATE INDEX metrics_series ON metrics (check_id, name, started_ms)',
      // Summaries read the values of every metric in the part-day before the daily histograms begin.
      'CREATE INDEX metrics_started ON metrics (started_ms)',
      `CREATE TABLE resources (
        result_id BIGINT NOT NULL REFERENCES results (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        PRIMARY KEY (result_id, ordinal)
      )`,

      // One row per check, updated with each result: what a status page reads without scanning results.
      // result_id has no foreign key: the latest result of a check that stopped running may be pruned.
      `CREATE TABLE latest (
        check_id TEXT PRIMARY KEY,
        result_id BIGINT,
        health TEXT,
        since_ms BIGINT,
        consecutive_failures INTEGER NOT NULL,
        seq BIGINT NOT NULL
      )${clustered}`,

      // Aggregates, kept long after the raw results: hourly counts by outcome and metric statistics, and a
      // daily histogram of each metric (JSON [bucket, count, ...] of logarithmic buckets, see sketch.ts) for percentiles.
      // Hour-first keys: every reader asks for a time range of all (or several) checks.
      // A column per outcome: one row per check and hour, so a month is 36,000 rows for 50 checks.
      `CREATE TABLE hourly_outcomes (
        hour_ms BIGINT NOT NULL,
        check_id TEXT NOT NULL,
        passed BIGINT NOT NULL,
        flaky BIGINT NOT NULL,
        failed BIGINT NOT NULL,
        error BIGINT NOT NULL,
        skipped BIGINT NOT NULL,
        PRIMARY KEY (hour_ms, check_id)
      )${clustered}`,
      `CREATE TABLE hourly_metrics (
        hour_ms BIGINT NOT NULL,
        check_id TEXT NOT NULL,
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        count BIGINT NOT NULL,
        sum DOUBLE PRECISION NOT NULL,
        min DOUBLE PRECISION NOT NULL,
        max DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (hour_ms, check_id, name)
      )${clustered}`,
      `CREATE TABLE daily_metric_histograms (
        day_ms BIGINT NOT NULL,
        check_id TEXT NOT NULL,
        name TEXT NOT NULL,
        buckets TEXT NOT NULL,
        PRIMARY KEY (day_ms, check_id, name)
      )${clustered}`,
    ],
  },
  {
    version: 2,
    name: 'results inside maintenance windows, counted apart',
    statements: () => [
      // The window a result started in, as JSON ({reason, until}); NULL outside any (every earlier result).
      'ALTER TABLE results ADD COLUMN maintenance TEXT',
      // The up and down results of the hour that ran inside a window: in the outcome columns, but not in uptime.
      'ALTER TABLE hourly_outcomes ADD COLUMN maintenance_up BIGINT NOT NULL DEFAULT 0',
      'ALTER TABLE hourly_outcomes ADD COLUMN maintenance_down BIGINT NOT NULL DEFAULT 0',
      // Failing streaks and last failures leave failures inside a window out: the index only holds the others.
      'DROP INDEX results_failing',
      `CREATE INDEX results_failing_outside_maintenance ON results (started_ms, check_id, seq, outcome)
        WHERE outcome IN ('failed', 'error') AND maintenance IS NULL`,
    ],
  },
  {
    version: 3,
    name: 'the checks each run set out to run',
    statements: () => [
      // JSON [{id, description, tags}]; NULL for earlier runs and imports. A run whose process dies gets an
      // aborted result for each of these it never recorded.
      'ALTER TABLE runs ADD COLUMN planned_checks TEXT',
    ],
  },
  {
    version: 4,
    name: 'results and metrics by deployment version; run groups',
    statements: () => [
      // The runs of one `run --repeat N` share it; NULL for a run of its own.
      'ALTER TABLE runs ADD COLUMN run_group TEXT',
      // Its run's deployment version, repeated (as check_id and started_ms are in metrics) so that what a
      // version measured is one index range: `tc-canary compare` reads two versions' values without joins.
      'ALTER TABLE results ADD COLUMN deployment_version TEXT',
      'ALTER TABLE metrics ADD COLUMN deployment_version TEXT',
      'UPDATE results SET deployment_version = (SELECT runs.deployment_version FROM runs WHERE runs.run_id = results.run_id)',
      'UPDATE metrics SET deployment_version = (SELECT results.deployment_version FROM results WHERE results.id = metrics.result_id)',
      // Covering, in the order a comparison reads them: the newest values of a metric, and the newest outcomes
      // of a check, on a version.
      'CREATE INDEX metrics_version ON metrics (deployment_version, check_id, name, started_ms, value)',
      'CREATE INDEX results_version ON results (deployment_version, check_id, started_ms, outcome)',
      'CREATE INDEX runs_version ON runs (deployment_version, started_ms)',
    ],
  },
];
