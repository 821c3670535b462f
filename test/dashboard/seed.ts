// A history with a month of results for a small catalogue, recorded through the history store's own API:
// every outcome the dashboard shows, metrics with limits, resources, a check that only the history knows.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineCheck, type AnyCheck } from '../../src/check/define.js';
import { param } from '../../src/check/params.js';
import type { CheckResult, ErrorInfo, MetricResult, Outcome, RunResult } from '../../src/check/result.js';
import { summarize } from '../../src/check/result.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import type { ServedCheck } from '../../src/dashboard/checks.js';
import type { MaintenanceLookup } from '../../src/dashboard/outcome.js';

export const NOW = Date.parse('2025-03-31T12:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** One run of every check each half hour for 30 days. */
export const SLOT_MS = 30 * MINUTE;
export const SLOTS = (30 * DAY) / SLOT_MS;

const noop = async () => undefined;

/** The catalogue `serve` would run (hooks.trigger's params make its scopes). */
export const CHECKS: AnyCheck[] = [
  defineCheck({ id: 'deployment.version', description: 'The deployment answers its version', tags: ['deployment'], schedule: '*/5 * * * *', run: noop }),
  defineCheck({ id: 'ping.queue', description: 'The queue service is alive', tags: ['ping', 'queue'], schedule: '*/5 * * * *', run: noop }),
  defineCheck({ id: 'ping.auth', description: 'The auth service is alive', tags: ['ping', 'auth'], schedule: '*/5 * * * *', run: noop }),
  defineCheck({ id: 'ping.index', description: 'The index service is alive', tags: ['ping', 'index'], schedule: '*/5 * * * *', run: noop }),
  defineCheck({
    id: 'queue.built-in-succeed', description: 'A built-in/succeed task completes', tags: ['queue', 'task'],
    scopes: { AllOf: ['queue:create-task:project:none', 'queue:scheduler-id:tc-canary'] }, run: noop,
  }),
  defineCheck({
    id: 'pool.proj-ci/linux.claim', description: 'A task on proj-ci/linux is claimed within 60s', tags: ['pool', 'proj-ci/linux'],
    scopes: 'queue:create-task:highest:proj-ci/linux', run: noop,
    dashboard: { keyMetric: 'claim_latency_ms', group: { kind: 'pool', id: 'proj-ci/linux', plot: 'Claim latency', order: 1 } },
  }),
  defineCheck({
    id: 'pool.proj-ci/linux.backlog', description: 'At most 50 tasks wait on proj-ci/linux', tags: ['pool', 'proj-ci/linux'], run: noop,
    dashboard: { keyMetric: 'pending', group: { kind: 'pool', id: 'proj-ci/linux', plot: 'Backlog (pending tasks)', order: 2 } },
  }),
  defineCheck({
    id: 'hooks.trigger', description: 'A hook fires and its task completes', tags: ['hooks'],
    params: { hookGroupId: param.string('project-tc-canary', 'hook group') },
    scopes: (params: { hookGroupId: string }) => `hooks:trigger-hook:${params.hookGroupId}/*`, run: noop,
  }),
  defineCheck({ id: 'secrets.roundtrip', description: 'A secret can be written, read and removed', tags: ['secrets'], run: noop }),
  defineCheck({ id: 'index.roundtrip', description: 'A task is found by its index route', tags: ['index'], run: noop }),
  defineCheck({ id: 'purge-cache.roundtrip', description: 'A cache purge is listed', tags: ['purge-cache'], run: noop }),
];

/** The catalogue as `serve` runs it: hooks.trigger with its hook group configured, the pings every minute. */
export const SERVED: ServedCheck[] = CHECKS.map((check) => ({
  check,
  params: check.id === 'hooks.trigger' ? { hookGroupId: 'ops-hooks' } : {},
  cron: check.id.startsWith('ping.') ? '* * * * *' : check.schedule ?? '*/15 * * * *',
}));

/** Maintenance for secrets.roundtrip from two hours ago until an hour from now: its results there record it. */
export const MAINTENANCE_REASON = 'Secrets service migration (OPS-1234)';
const MAINTENANCE_START = NOW - 2 * HOUR;
const MAINTENANCE_END = NOW + HOUR;
/** What serve's calendar answers (the dashboard asks about now). */
export const maintenance: MaintenanceLookup = (checkId, at) =>
  checkId === 'secrets.roundtrip' && at >= MAINTENANCE_START && at < MAINTENANCE_END ? { reason: MAINTENANCE_REASON } : undefined;

/** A deterministic pseudo-random sequence, so every seeded history is the same. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

interface Slot {
  index: number;
  at: number;
  rand: () => number;
}

interface Shape {
  outcome: Outcome;
  metrics?: Record<string, MetricResult>;
  error?: ErrorInfo;
  resources?: CheckResult['resources'];
  maintenance?: CheckResult['maintenance'];
}

const metric = (value: number, unit: string, limit?: number): MetricResult =>
  limit === undefined ? { value, unit } : { value, unit, limit, ok: value <= limit };

const fromEnd = (slot: Slot) => SLOTS - 1 - slot.index;

/** How each check behaved in a slot. */
const BEHAVIOUR: Record<string, (slot: Slot) => Shape> = {
  'deployment.version': () => ({ outcome: 'passed' }),
  // Down for its last three runs: the response time broke its SLA.
  'ping.queue': (slot) => {
    const slow = fromEnd(slot) < 3;
    const ms = slow ? 900 + slot.rand() * 300 : 80 + slot.rand() * 60;
    return slow
      ? { outcome: 'failed', metrics: { response_ms: metric(ms, 'ms', 500) }, error: { kind: 'sla', message: `response_ms ${Math.round(ms)} ms exceeds 500 ms`, step: 'ping' } }
      : { outcome: 'passed', metrics: { response_ms: metric(ms, 'ms', 500) } };
  },
  'ping.auth': (slot) => ({ outcome: slot.index % 97 === 5 ? 'flaky' : 'passed', metrics: { response_ms: metric(60 + slot.rand() * 40, 'ms', 500) } }),
  // Errored for its last two runs: connection refused.
  'ping.index': (slot) => fromEnd(slot) < 2
    ? { outcome: 'error', error: { kind: 'transient', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED', url: 'https://tc.example.com/api/index/v1/ping', step: 'ping' } }
    : { outcome: 'passed', metrics: { response_ms: metric(70 + slot.rand() * 50, 'ms', 500) } },
  'queue.built-in-succeed': (slot) => ({
    outcome: slot.index % 41 === 0 ? 'flaky' : slot.index % 173 === 0 ? 'failed' : 'passed',
    metrics: { claim_latency_ms: metric(800 + slot.rand() * 2000, 'ms', 60_000), resolve_ms: metric(300 + slot.rand() * 200, 'ms') },
    resources: [{ type: 'task', id: `taskSucceed${slot.index}` }],
    ...(slot.index % 173 === 0 && slot.index % 41 !== 0 && { error: { kind: 'assertion', message: 'task resolved exception, expected completed', step: 'wait for resolution' } }),
  }),
  // Claim latency drifting up towards its 60 s SLA over the last day, one breach a week ago.
  'pool.proj-ci/linux.claim': (slot) => {
    const drift = Math.max(0, 48 - fromEnd(slot)) * 700;
    const breach = fromEnd(slot) === 7 * 48;
    const ms = breach ? 75_000 : 4_000 + slot.rand() * 6_000 + drift;
    return {
      outcome: breach ? 'failed' : 'passed',
      metrics: { claim_latency_ms: metric(ms, 'ms', 60_000), resolve_ms: metric(1_000 + slot.rand() * 500, 'ms', 600_000) },
      resources: [{ type: 'task', id: `taskClaim${slot.index}` }],
      ...(breach && { error: { kind: 'sla', message: 'claim SLA exceeded: pending after 60 s', step: 'wait for claim' } }),
    };
  },
  'pool.proj-ci/linux.backlog': (slot) => ({ outcome: 'passed', metrics: { pending: metric(Math.round(5 + slot.rand() * 20 + Math.max(0, 48 - fromEnd(slot)) / 2), 'count', 50) } }),
  'hooks.trigger': () => ({ outcome: 'skipped' }),
  'secrets.roundtrip': (slot) => ({
    outcome: fromEnd(slot) < 2 ? 'failed' : 'passed',
    ...(fromEnd(slot) < 2 && { error: { kind: 'assertion', message: 'expected 404 after remove, got 200', step: 'get removed secret' } }),
    ...(slot.at >= MAINTENANCE_START && { maintenance: { reason: MAINTENANCE_REASON, until: new Date(MAINTENANCE_END).toISOString() } }),
  }),
  // Its latest run was interrupted by a shutdown.
  'index.roundtrip': (slot) => fromEnd(slot) === 0
    ? { outcome: 'error', error: { kind: 'aborted', message: 'the run was interrupted', step: 'wait for index' } }
    : { outcome: 'passed', metrics: { index_lag_ms: metric(2_000 + slot.rand() * 3_000, 'ms', 30_000) } },
  // No longer in the catalogue: only the history knows it, and only its first half month.
  'legacy.retired-check': (slot) => ({ outcome: 'passed', ...(slot.index > SLOTS / 2 && { outcome: 'skipped' }) }),
};

/** A check result as the runner makes it, with attempts and steps consistent with the outcome. */
export function resultOf(id: string, at: number, shape: Shape, description = `checks ${id}`, tags: string[] = []): CheckResult {
  const iso = new Date(at).toISOString();
  const failing = shape.outcome === 'failed' || shape.outcome === 'error';
  const stepName = shape.error?.step ?? 'probe';
  const steps = shape.outcome === 'skipped' ? [] : [{ name: stepName, outcome: failing ? ('failed' as const) : ('passed' as const), offsetMs: 2, durationMs: 150 }];
  const attempts: CheckResult['attempts'] = [];
  if (shape.outcome === 'flaky') {
    attempts.push({ attempt: 1, outcome: 'error', startedAt: iso, durationMs: 30, error: { kind: 'transient', message: 'socket hang up', code: 'ECONNRESET' }, steps: [] });
  }
  if (shape.outcome !== 'skipped') {
    attempts.push({
      attempt: attempts.length + 1, outcome: shape.outcome === 'error' ? 'error' : failing ? 'failed' : 'passed',
      startedAt: iso, durationMs: 160, steps, ...(shape.error && { error: shape.error }),
    });
  }
  return {
    id, description, tags, outcome: shape.outcome, startedAt: iso, durationMs: shape.outcome === 'skipped' ? 0 : 180,
    attempts, steps, metrics: shape.metrics ?? {}, resources: shape.resources ?? [], log: [],
    ...(shape.outcome === 'skipped' && { skipReason: 'missing scopes: hooks:trigger-hook:project-tc-canary/*' }),
    ...(failing && shape.error && { error: shape.error }),
    ...(shape.maintenance && { maintenance: shape.maintenance }),
  };
}

/** A finished run of `results` at `at`, as the runner reports it. */
export function runOf(runId: string, at: number, results: CheckResult[]): RunResult {
  const summary = summarize(results);
  return {
    schemaVersion: 1, runId, startedAt: new Date(at).toISOString(), finishedAt: new Date(at + MINUTE).toISOString(), durationMs: MINUTE,
    rootUrl: 'https://tc.example.com', deployment: { version: 'v74.0.0' }, tool: { name: 'tc-canary', version: '0.1.0' },
    outcome: summary.failed + summary.error > 0 ? 'failed' : 'passed', summary, checks: results,
  };
}

export function tempHistorySpec(): string {
  return `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'tc-canary-dashboard-')), 'history.db')}`;
}

/** Opens a fresh SQLite history and fills it with a month of runs of every check. */
export async function seededHistory(spec = tempHistorySpec()): Promise<HistoryStore> {
  const store = await openHistory(spec, { clock: { now: () => NOW } });
  const catalogue = new Map(CHECKS.map((check) => [check.id, check]));
  const runs: RunResult[] = [];
  for (let index = 0; index < SLOTS; index++) {
    const at = NOW - (SLOTS - index) * SLOT_MS + MINUTE;
    const rand = random(index + 1);
    const results = Object.entries(BEHAVIOUR)
      .filter(([id]) => id !== 'legacy.retired-check' || index <= SLOTS * 0.75)
      .map(([id, behave]) => {
        const check = catalogue.get(id);
        return resultOf(id, at, behave({ index, at, rand }), check?.description ?? 'A check that was removed', check?.tags ?? ['legacy']);
      });
    runs.push(runOf(`run-${index}`, at, results));
  }
  await store.importRuns(runs);
  return store;
}
