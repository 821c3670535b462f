// The accounting rules of the history, as pure functions so that every store counts the same way:
// - up = passed or flaky (a pass after a retried transient error still served its purpose);
//   down = failed or error; skipped results count neither way.
// - a result that started inside a maintenance window counts neither way either: it stays in the counts by
//   outcome, and is counted apart (inMaintenance) when it would have been up or down.
// - uptime = up / (up + down), outside maintenance; flaky rate = flaky / (passed + flaky).
// - a failing streak is failed/error results in a row, in the order they were recorded; skipped results and
//   results inside maintenance, whatever their outcome, neither break nor lengthen it.

import { OUTCOMES, type ErrorInfo, type Outcome } from '../check/result.js';
import type { FailingStreak, Health, HistoryOutcome, Uptime } from './store.js';

export function healthOf(outcome: HistoryOutcome): Health {
  if (outcome === 'passed' || outcome === 'flaky') return 'up';
  if (outcome === 'failed' || outcome === 'error') return 'down';
  return 'skipped';
}

/** Whether a result counts up or down (in uptime and streaks): it is not skipped and ran outside maintenance. */
function isCounted(outcome: HistoryOutcome, inMaintenance: boolean): boolean {
  return healthOf(outcome) !== 'skipped' && !inMaintenance;
}

/** What the `latest` row keeps per check, so a status page never scans results. */
export interface LatestState {
  /** The latest result's, from its outcome alone, inside maintenance too. */
  health: Health;
  sinceMs: number;
  consecutiveFailures: number;
  /** Ordinal of the check's latest counted result (isCounted): consecutive failures have consecutive seqs. */
  seq: number;
}

export function nextLatest(previous: LatestState | undefined, outcome: Outcome, startedMs: number, inMaintenance: boolean): LatestState {
  const health = healthOf(outcome);
  const counted = isCounted(outcome, inMaintenance);
  const failures = previous?.consecutiveFailures ?? 0;
  return {
    health,
    sinceMs: previous && previous.health === health ? previous.sinceMs : startedMs,
    consecutiveFailures: !counted ? failures : health === 'down' ? failures + 1 : 0,
    seq: (previous?.seq ?? 0) + (counted ? 1 : 0),
  };
}

export function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
}

/** The up and down results that ran inside maintenance: in the counts by outcome, out of uptime. */
export interface MaintenanceCounts {
  up: number;
  down: number;
}

/** A check's results over a window, as the hourly aggregates count them. */
export interface ResultCounts {
  /** Every result, inside maintenance or not. */
  outcomes: Record<Outcome, number>;
  maintenance: MaintenanceCounts;
}

export function emptyResultCounts(): ResultCounts {
  return { outcomes: emptyCounts(), maintenance: { up: 0, down: 0 } };
}

export function uptimeOf(counts: Record<Outcome, number>, maintenance: MaintenanceCounts = { up: 0, down: 0 }): Uptime {
  const up = counts.passed + counts.flaky - maintenance.up;
  const counted = up + counts.failed + counts.error - maintenance.down;
  return { up, counted, ratio: counted === 0 ? null : up / counted, inMaintenance: maintenance.up + maintenance.down };
}

export function flakyRateOf(counts: Record<Outcome, number>): number | null {
  const passing = counts.passed + counts.flaky;
  return passing === 0 ? null : counts.flaky / passing;
}

export interface FailureRow {
  checkId: string;
  seq: number;
  startedMs: number;
}

/** The longest failing streak per check, from its failed/error results (any order). */
export function longestFailingStreaks(failures: readonly FailureRow[]): Map<string, FailingStreak> {
  const sorted = [...failures].sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : a.seq - b.seq));
  const longest = new Map<string, FailingStreak>();
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i]!;
    const next = sorted[i + 1];
    if (next && next.checkId === row.checkId && next.seq === row.seq + 1) continue;
    const first = sorted[start]!;
    const length = i - start + 1;
    if (length > (longest.get(row.checkId)?.length ?? 0)) {
      longest.set(row.checkId, {
        length,
        from: new Date(first.startedMs).toISOString(),
        to: new Date(row.startedMs).toISOString(),
      });
    }
    start = i + 1;
  }
  return longest;
}

/** Why a check failed, in one line: the error message, after the step that was running. */
export function failureReason(outcome: 'failed' | 'error', error: ErrorInfo | undefined): string {
  if (!error) return outcome;
  return error.step ? `step "${error.step}": ${error.message}` : error.message;
}
