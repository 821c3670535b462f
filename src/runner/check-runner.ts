// Runs one check to its outcome: attempts under the retry policy (transient infrastructure errors only),
// each attempt recorded; a pass after a failed attempt is `flaky`.

import pRetry from 'p-retry';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT, type AnyCheck } from '../check/define.js';
import { parseDuration } from '../check/duration.js';
import { isTransient } from '../check/errors.js';
import type { AttemptResult, CheckResult } from '../check/result.js';
import { runAttempt, type AttemptRecord, type CheckRecorder } from './attempt.js';
import type { RunEnvironment } from './environment.js';

/** Thrown inside p-retry to ask for another attempt. */
class RetryableAttempt extends Error {}

function emptyResult(check: AnyCheck, startedAt: string): CheckResult {
  return {
    id: check.id, description: check.description, tags: check.tags ?? [], ...(check.watches ? { watches: { ...check.watches } } : {}),
    outcome: 'skipped', startedAt, durationMs: 0, attempts: [], steps: [], metrics: {}, resources: [], log: [],
  };
}

export function skippedResult(check: AnyCheck, reason: string, startedAt: string): CheckResult {
  return { ...emptyResult(check, startedAt), skipReason: reason };
}

/** A check that cannot run as configured (its client lacks scopes it held before): an error, so it counts as down. */
export function misconfiguredResult(check: AnyCheck, message: string, startedAt: string): CheckResult {
  return { ...emptyResult(check, startedAt), outcome: 'error', error: { kind: 'misconfigured', message } };
}

export async function runCheck(check: AnyCheck, params: Record<string, unknown>, env: RunEnvironment): Promise<CheckResult> {
  const timeoutMs = parseDuration(check.timeout ?? DEFAULT_TIMEOUT)!;
  const policy = { ...DEFAULT_RETRY, ...check.retry };
  const recorder: CheckRecorder = { startedAtMs: env.clock.now(), log: [], resources: [] };
  const attempts: AttemptResult[] = [];
  let last: AttemptRecord | undefined;

  const attemptOnce = async (attemptNumber: number): Promise<AttemptRecord> => {
    const record = await runAttempt(check, params, attemptNumber, timeoutMs, env, recorder);
    attempts.push(record.result);
    last = record;
    if (record.thrown !== undefined && isTransient(record.thrown) && !env.signal.aborted) throw new RetryableAttempt(record.result.error?.message ?? 'attempt failed');
    return record;
  };

  let final: AttemptRecord;
  try {
    final = await pRetry(attemptOnce, {
      retries: policy.retries,
      minTimeout: parseDuration(policy.minDelay)!,
      factor: 2,
      randomize: false,
      signal: env.signal,
    });
  } catch (error) {
    // Out of retries, or the run was interrupted while waiting for the next attempt.
    if (!last) throw error;
    final = last;
  }

  const result: CheckResult = {
    ...emptyResult(check, new Date(recorder.startedAtMs).toISOString()),
    durationMs: env.clock.now() - recorder.startedAtMs,
    attempts,
    steps: final.result.steps,
    metrics: final.metrics,
    resources: recorder.resources,
    log: recorder.log,
  };
  if (final.skipReason !== undefined) return { ...result, outcome: 'skipped', skipReason: final.skipReason };
  if (final.result.error) return { ...result, outcome: final.result.outcome === 'failed' ? 'failed' : 'error', error: final.result.error };
  return { ...result, outcome: attempts.length > 1 ? 'flaky' : 'passed' };
}
