// Builders of check results and a clock the tests move by hand.

import type { CheckResult, ErrorInfo, MaintenanceInfo, MetricResult, Outcome, ResourceRef } from '../../src/check/result.js';
import type { Clock } from '../../src/clock.js';
import type { HistoryStore, RunMeta } from '../../src/history/store.js';

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface ManualClock extends Clock {
  set(ms: number): void;
}

export function manualClock(start = T0): ManualClock {
  let now = start;
  return { now: () => now, set: (ms) => void (now = ms) };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function runMeta(runId: string, startedMs: number): RunMeta {
  return { runId, rootUrl: 'https://tc.example.com', deploymentVersion: 'v74.0.0', startedAt: iso(startedMs), toolVersion: '0.1.0' };
}

export interface ResultSpec {
  id: string;
  outcome: Outcome;
  at: number;
  metrics?: Record<string, MetricResult>;
  resources?: ResourceRef[];
  error?: ErrorInfo;
  /** The window the result ran inside, as the runner marks it. */
  maintenance?: MaintenanceInfo;
}

export const MAINTENANCE: MaintenanceInfo = { reason: 'weekly database maintenance', until: '2025-03-01T14:00:00.000Z' };

/** A plausible result of each outcome: attempts and steps as the runner makes them. */
export function checkResult({ id, outcome, at, metrics = {}, resources = [], error, maintenance }: ResultSpec): CheckResult {
  const base = {
    id, description: `checks ${id}`, tags: ['test'], outcome, startedAt: iso(at), durationMs: 120,
    metrics, resources, log: [], ...(maintenance && { maintenance }),
  };
  if (outcome === 'skipped') return { ...base, durationMs: 0, attempts: [], steps: [], skipReason: 'dependency did not pass' };
  const failing = outcome === 'failed' || outcome === 'error';
  const steps = [{ name: 'probe', outcome: failing ? ('failed' as const) : ('passed' as const), offsetMs: 1, durationMs: 100 }];
  const finalError = failing ? (error ?? { kind: 'assertion' as const, message: 'expected 200, got 500', step: 'probe' }) : undefined;
  const attempts: CheckResult['attempts'] = [];
  if (outcome === 'flaky') {
    attempts.push({
      attempt: 1, outcome: 'error', startedAt: iso(at), durationMs: 10,
      error: { kind: 'transient', message: 'socket hang up', code: 'ECONNRESET' }, steps: [],
    });
  }
  attempts.push({
    attempt: attempts.length + 1, outcome: failing ? (outcome === 'failed' ? 'failed' : 'error') : 'passed',
    startedAt: iso(at + 10), durationMs: 110, steps, ...(finalError && { error: finalError }),
  });
  return { ...base, attempts, steps, ...(finalError && { error: finalError }) };
}

/** Records results, each in a run of its own (begun and finished), like scheduled runs would. */
export async function recordAll(store: HistoryStore, specs: readonly ResultSpec[]): Promise<void> {
  for (const [i, spec] of specs.entries()) {
    const runId = `run-${spec.at}-${i}`;
    const result = checkResult(spec);
    await store.beginRun(runMeta(runId, spec.at));
    await store.recordCheck(runId, result);
    const summary = { passed: 0, flaky: 0, failed: 0, error: 0, skipped: 0, [spec.outcome]: 1 };
    const outcome = spec.outcome === 'failed' || spec.outcome === 'error' ? 'failed' : 'passed';
    await store.finishRun(runId, { finishedAt: iso(spec.at + 1000), outcome, summary });
  }
}
