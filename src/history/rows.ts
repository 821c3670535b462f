// How a CheckResult maps onto the history's rows and back. A result's `steps` are its final attempt's, so
// steps are stored once, per attempt; a metric's `ok` follows from its value and limit.

import type {
  AttemptResult, CheckResult, ErrorInfo, MaintenanceInfo, MetricResult, Outcome, ResourceRef, StepResult,
} from '../check/result.js';
import type { SqlValue } from './database.js';
import type { HistoryResult } from './store.js';

export const RESULT_COLUMNS = [
  'run_id', 'check_id', 'seq', 'outcome', 'started_ms', 'duration_ms', 'description', 'tags', 'skip_reason', 'error', 'log',
  'maintenance', 'deployment_version',
] as const;
export const ATTEMPT_COLUMNS = ['result_id', 'attempt', 'outcome', 'started_ms', 'duration_ms', 'error'] as const;
export const STEP_COLUMNS = ['result_id', 'attempt', 'ordinal', 'name', 'outcome', 'offset_ms', 'duration_ms', 'error'] as const;
export const METRIC_COLUMNS = ['result_id', 'name', 'value', 'unit', 'limit_value', 'check_id', 'started_ms', 'deployment_version'] as const;
export const RESOURCE_COLUMNS = ['result_id', 'ordinal', 'type', 'resource_id'] as const;

export interface ResultRow {
  id: number;
  run_id: string;
  check_id: string;
  outcome: Outcome;
  started_ms: number;
  duration_ms: number;
  description: string;
  tags: string;
  skip_reason: string | null;
  error: string | null;
  log: string;
  maintenance: string | null;
}
export interface AttemptRow {
  result_id: number;
  attempt: number;
  outcome: AttemptResult['outcome'];
  started_ms: number;
  duration_ms: number;
  error: string | null;
}
export interface StepRow {
  result_id: number;
  attempt: number;
  name: string;
  outcome: StepResult['outcome'];
  offset_ms: number;
  duration_ms: number;
  error: string | null;
}
export interface MetricRow {
  result_id: number;
  name: string;
  value: number;
  unit: string;
  limit_value: number | null;
}
export interface ResourceRow {
  result_id: number;
  type: string;
  resource_id: string;
}

export const RESULT_SELECT = `SELECT id, ${RESULT_COLUMNS.filter((c) => c !== 'seq' && c !== 'deployment_version').join(', ')} FROM results`;

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const ms = (iso: string): number => Date.parse(iso);
const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** `version` is the deployment version of the result's run. */
export function resultRow(runId: string, seq: number, result: CheckResult, version: string | null): SqlValue[] {
  return [
    runId, result.id, seq, result.outcome, ms(result.startedAt), result.durationMs, result.description,
    JSON.stringify(result.tags), result.skipReason ?? null, json(result.error), JSON.stringify(result.log),
    json(result.maintenance), version,
  ];
}

/** The rows of a result's attempts, steps, metrics and resources, once the result has its id. */
export function childRows(resultId: number, result: CheckResult, version: string | null) {
  const startedMs = ms(result.startedAt);
  return {
    attempts: result.attempts.map((a): SqlValue[] => [resultId, a.attempt, a.outcome, ms(a.startedAt), a.durationMs, json(a.error)]),
    steps: result.attempts.flatMap((a) =>
      a.steps.map((s, ordinal): SqlValue[] => [resultId, a.attempt, ordinal, s.name, s.outcome, s.offsetMs, s.durationMs, s.error ?? null]),
    ),
    metrics: Object.entries(result.metrics).map(([name, m]): SqlValue[] => [resultId, name, m.value, m.unit, m.limit ?? null, result.id, startedMs, version]),
    resources: result.resources.map((r, ordinal): SqlValue[] => [resultId, ordinal, r.type, r.id]),
  };
}

export interface Children {
  attempts: AttemptRow[];
  steps: StepRow[];
  metrics: MetricRow[];
  resources: ResourceRow[];
}

function byResult<T extends { result_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.result_id);
    if (list) list.push(row);
    else grouped.set(row.result_id, [row]);
  }
  return grouped;
}

function step(row: StepRow): StepResult {
  return {
    name: row.name, outcome: row.outcome, offsetMs: row.offset_ms, durationMs: row.duration_ms,
    ...(row.error !== null && { error: row.error }),
  };
}

export function metricOf(row: Pick<MetricRow, 'value' | 'unit' | 'limit_value'>): MetricResult {
  if (row.limit_value === null) return { value: row.value, unit: row.unit };
  return { value: row.value, unit: row.unit, limit: row.limit_value, ok: row.value <= row.limit_value };
}

/** Rebuilds results (in the order of `rows`) from their rows and their children's rows. */
export function toHistoryResults(rows: readonly ResultRow[], children: Children): HistoryResult[] {
  const attempts = byResult(children.attempts);
  const steps = byResult(children.steps);
  const metrics = byResult(children.metrics);
  const resources = byResult(children.resources);
  return rows.map((row) => {
    const ownSteps = steps.get(row.id) ?? [];
    const ownAttempts: AttemptResult[] = (attempts.get(row.id) ?? []).map((a) => ({
      attempt: a.attempt,
      outcome: a.outcome,
      startedAt: iso(a.started_ms),
      durationMs: a.duration_ms,
      ...(a.error !== null && { error: JSON.parse(a.error) as ErrorInfo }),
      steps: ownSteps.filter((s) => s.attempt === a.attempt).map(step),
    }));
    return {
      runId: row.run_id,
      id: row.check_id,
      description: row.description,
      tags: JSON.parse(row.tags) as string[],
      outcome: row.outcome,
      startedAt: iso(row.started_ms),
      durationMs: row.duration_ms,
      attempts: ownAttempts,
      steps: ownAttempts.at(-1)?.steps ?? [],
      metrics: Object.fromEntries((metrics.get(row.id) ?? []).map((m) => [m.name, metricOf(m)])),
      resources: (resources.get(row.id) ?? []).map((r): ResourceRef => ({ type: r.type, id: r.resource_id })),
      log: JSON.parse(row.log) as CheckResult['log'],
      ...(row.skip_reason !== null && { skipReason: row.skip_reason }),
      ...(row.error !== null && { error: JSON.parse(row.error) as ErrorInfo }),
      ...(row.maintenance !== null && { maintenance: JSON.parse(row.maintenance) as MaintenanceInfo }),
    };
  });
}
