import { describe, expect, test } from 'vitest';
import type { Outcome } from '../../src/check/result.js';
import { failureReason, longestFailingStreaks, nextLatest, uptimeOf, type LatestState } from '../../src/history/accounting.js';
import { abandonmentReason, type RunOwner } from '../../src/history/owner.js';

describe('latest state', () => {
  test('follows outcomes: health stretches, failures in a row, seq of counted results', () => {
    const outcomes: Outcome[] = ['passed', 'failed', 'skipped', 'error', 'flaky'];
    const states: LatestState[] = [];
    outcomes.forEach((outcome, i) => states.push(nextLatest(states.at(-1), outcome, i * 10, false)));
    expect(states).toEqual([
      { health: 'up', sinceMs: 0, consecutiveFailures: 0, seq: 1 },
      { health: 'down', sinceMs: 10, consecutiveFailures: 1, seq: 2 },
      { health: 'skipped', sinceMs: 20, consecutiveFailures: 1, seq: 2 },
      { health: 'down', sinceMs: 30, consecutiveFailures: 2, seq: 3 },
      { health: 'up', sinceMs: 40, consecutiveFailures: 0, seq: 4 },
    ]);
  });

  test('inside maintenance: health from the outcome, but failures in a row and seq stay as they were', () => {
    const steps: Array<[Outcome, boolean]> = [['failed', false], ['error', true], ['passed', true], ['failed', false]];
    const states: LatestState[] = [];
    steps.forEach(([outcome, inMaintenance], i) => states.push(nextLatest(states.at(-1), outcome, i * 10, inMaintenance)));
    expect(states).toEqual([
      { health: 'down', sinceMs: 0, consecutiveFailures: 1, seq: 1 },
      { health: 'down', sinceMs: 0, consecutiveFailures: 1, seq: 1 },
      { health: 'up', sinceMs: 20, consecutiveFailures: 1, seq: 1 },
      { health: 'down', sinceMs: 30, consecutiveFailures: 2, seq: 2 },
    ]);
  });
});

describe('uptime', () => {
  test('the up and down results inside maintenance stay out of it and are counted apart', () => {
    const counts = { passed: 8, flaky: 2, failed: 3, error: 1, skipped: 4 };
    expect(uptimeOf(counts)).toEqual({ up: 10, counted: 14, ratio: 10 / 14, inMaintenance: 0 });
    expect(uptimeOf(counts, { up: 2, down: 4 })).toEqual({ up: 8, counted: 8, ratio: 1, inMaintenance: 6 });
    expect(uptimeOf({ passed: 1, flaky: 0, failed: 0, error: 0, skipped: 0 }, { up: 1, down: 0 }))
      .toEqual({ up: 0, counted: 0, ratio: null, inMaintenance: 1 });
  });
});

describe('failing streaks', () => {
  test('consecutive seqs of one check make a streak; the longest (first of equals) wins', () => {
    const rows = [
      { checkId: 'a', seq: 7, startedMs: 70 }, { checkId: 'a', seq: 2, startedMs: 20 }, { checkId: 'a', seq: 3, startedMs: 30 },
      { checkId: 'b', seq: 4, startedMs: 40 }, { checkId: 'a', seq: 8, startedMs: 80 }, { checkId: 'a', seq: 9, startedMs: 90 },
      { checkId: 'b', seq: 5, startedMs: 50 },
    ];
    const streaks = longestFailingStreaks(rows);
    expect(streaks.get('a')).toEqual({ length: 3, from: new Date(70).toISOString(), to: new Date(90).toISOString() });
    expect(streaks.get('b')).toEqual({ length: 2, from: new Date(40).toISOString(), to: new Date(50).toISOString() });
    expect(longestFailingStreaks([])).toEqual(new Map());
  });

  test('a failure reason names the running step', () => {
    expect(failureReason('failed', { kind: 'assertion', message: 'boom', step: 'create task' })).toBe('step "create task": boom');
    expect(failureReason('error', { kind: 'crash', message: 'boom' })).toBe('boom');
    expect(failureReason('error', undefined)).toBe('error');
  });
});

describe('abandoned runs', () => {
  const me: RunOwner = { host: 'here', pid: 100, processStartedMs: 5000 };
  const rule = (alive: boolean) => ({ me, staleAfterMs: 1000, isAlive: () => alive });

  test('a dead process on this host, or an earlier one with the same pid, abandons its run at once', () => {
    expect(abandonmentReason({ host: 'here', pid: 7, processStartedMs: 1 }, 0, 10, rule(false))).toMatch(/pid 7 on here\) ended/);
    expect(abandonmentReason({ host: 'here', pid: 100, processStartedMs: 1 }, 0, 10, rule(true))).toMatch(/pid 100 on here\) ended/);
  });

  test('a live or remote owner keeps its run until it is silent for too long', () => {
    expect(abandonmentReason({ host: 'here', pid: 7, processStartedMs: 1 }, 0, 1000, rule(true))).toBeUndefined();
    expect(abandonmentReason(me, 0, 1000, rule(true))).toBeUndefined();
    expect(abandonmentReason({ host: 'there', pid: 7, processStartedMs: 1 }, 0, 1000, rule(false))).toBeUndefined();
    expect(abandonmentReason({ host: 'there', pid: 7, processStartedMs: 1 }, 0, 1001, rule(false))).toMatch(/no sign of life from pid 7 on there/);
  });
});
