// The history's schema, as numbered steps applied in order and never edited once released: a change is a new
// step. Written once for both databases; the only dialect word is the auto-numbered key.
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
    statements: ({ autoId }) => [
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
      "CREATE INDEX results_failing ON results (started_ms) WHERE outcome IN ('failed', 'error')",

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
      // check_id and started_ms repeat the result's so that a metric's time series is one index range.
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
      )`,

      // Hourly aggregates, kept long after the raw results: counts by outcome, metric statistics, and counts
      // per logarithmic bucket of each metric's values (see sketch.ts) for percentiles.
      `CREATE TABLE hourly_outcomes (
        hour_ms BIGINT NOT NULL,
        check_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (hour_ms, check_id, outcome)
      )`,
      'CREATE INDEX hourly_outcomes_check ON hourly_outcomes (check_id, hour_ms)',
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
      )`,
      `CREATE TABLE hourly_metric_buckets (
        hour_ms BIGINT NOT NULL,
        check_id TEXT NOT NULL,
        name TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (hour_ms, check_id, name, bucket)
      )`,
    ],
  },
];
