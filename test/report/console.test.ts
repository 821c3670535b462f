import { afterEach, describe, expect, test, vi } from 'vitest';
import { consoleMode, createConsoleReporter, type ConsoleReporterOptions } from '../../src/report/console.js';
import type { RunReporter } from '../../src/report/reporter.js';
import { summarize, type RunResult } from '../../src/check/result.js';
import { sampleRun } from './sample-run.js';

/** Collects what a reporter writes, like a stream would. */
function fakeStream(isTTY: boolean, columns = 100) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (text: string) => writes.push(text), text: () => writes.join('') };
}

/** Plays a finished run through a reporter in the order the runner emits its events. */
function play(reporter: RunReporter, run: RunResult, between: (id: string) => void = () => {}): void {
  reporter.onRunStart?.({
    runId: run.runId,
    rootUrl: run.rootUrl,
    startedAt: run.startedAt,
    preflight: run.preflight,
    checks: run.checks.map(({ id, description }) => ({ id, description })),
  });
  for (const check of run.checks) {
    if (check.outcome !== 'skipped') reporter.onCheckStart?.(check.id);
    between(check.id);
    for (const attempt of check.attempts) reporter.onAttemptEnd?.(check.id, attempt);
    reporter.onCheckEnd?.(check);
  }
  reporter.onRunEnd?.(run);
}

const SGR_OR_CURSOR = /\x1b\[[0-9;]*[A-Za-z]/g;

/** What a terminal shows after the output: cursor-up, carriage return and erase-below are obeyed. */
function screen(output: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  const pattern = /\x1b\[(\d*)([A-Za-z])|\r|\n|[^\x1b\r\n]+/g;
  for (const [token, count, command] of output.matchAll(pattern)) {
    if (command === 'A') row = Math.max(0, row - Number(count || 1));
    else if (command === 'J') rows.splice(row + 1), (rows[row] = '');
    else if (command) rows[row] += token; // colours: kept, so tests can see them
    else if (token === '\r') continue; // only ever written right before an erase
    else if (token === '\n') rows[++row] ??= '';
    else rows[row] += token;
  }
  return rows.slice(0, row);
}

function passingRun(): RunResult {
  const run = sampleRun();
  run.checks = run.checks.filter((check) => check.outcome === 'passed' || check.outcome === 'flaky');
  run.summary = summarize(run.checks);
  run.outcome = 'passed';
  return run;
}

describe('consoleMode', () => {
  test.each([
    ['a pipe', false, {}, 'plain'],
    ['a terminal', true, {}, 'live'],
    ['a terminal under CI=true', true, { CI: 'true' }, 'plain'],
    ['a terminal under CI=1', true, { CI: '1' }, 'plain'],
    ['a terminal with CI=false', true, { CI: 'false' }, 'live'],
    ['a dumb terminal', true, { TERM: 'dumb' }, 'plain'],
  ])('%s: %s', (_name, isTTY, env, mode) => {
    expect(consoleMode(fakeStream(isTTY), env)).toBe(mode);
  });
});

describe('the plain console', () => {
  function plainOutput(run: RunResult = sampleRun()): string {
    const stream = fakeStream(false);
    play(createConsoleReporter({ stream, mode: 'plain' }), run);
    return stream.text();
  }

  test('has no ANSI codes', () => {
    expect(plainOutput()).not.toContain('\x1b');
  });

  test('writes one line per event, every check with its outcome', () => {
    const lines = plainOutput().split('\n');
    expect(lines.slice(0, 11)).toEqual([
      'tc-canary: 5 checks against https://tc.example.com (run Ykm4Kk9cRBO2hT8sHdZx0w)',
      'START ping.queue',
      'PASS  ping.queue 123ms',
      'START ping.auth',
      'FLAKY ping.auth 2.3s (2 attempts) after attempt 1: Service Unavailable (HTTP 503 at https://tc.example.com/api/auth/v1/ping)',
      'START queue.built-in-succeed',
      'FAIL  queue.built-in-succeed 1m 1s step "wait for claim": claim SLA exceeded: pending after 60 s',
      'START ping.index',
      'ERROR ping.index 1.5s step "ping": Internal Server Error (HTTP 500 at https://tc.example.com/api/index/v1/ping)',
      'SKIP  secrets.roundtrip: missing scopes: secrets:set:project/tc-canary/*, secrets:get:project/tc-canary/*',
      '',
    ]);
  });

  test('ends with a summary: verdict, counts, deployment version, run id, and why each check did not pass', () => {
    const summary = plainOutput().split('\n').slice(11).join('\n');
    expect(summary).toBe(
      [
        'tc-canary FAILED: 1 passed, 1 flaky, 1 failed, 1 error, 1 skipped (5 checks in 1m 2s)',
        'deployment: https://tc.example.com, version v74.0.1',
        'run: Ykm4Kk9cRBO2hT8sHdZx0w, tc-canary 0.1.0',
        '',
        'Did not pass:',
        'FAIL  queue.built-in-succeed 1m 1s',
        '      step "wait for claim": claim SLA exceeded: pending after 60 s',
        '      claim_latency_ms 75000 > limit 60000 (+15000)',
        'ERROR ping.index 1.5s',
        '      step "ping": Internal Server Error (HTTP 500 at https://tc.example.com/api/index/v1/ping)',
        '      2 attempts: error, error',
        '',
        'Passed after a retry:',
        'FLAKY ping.auth 2.3s',
        '      attempt 1: step "ping": Service Unavailable (HTTP 503 at https://tc.example.com/api/auth/v1/ping)',
        '',
      ].join('\n'),
    );
  });

  test('a run where everything passed says so, and lists no failures', () => {
    const output = plainOutput(passingRun());
    expect(output).toContain('tc-canary PASSED: 1 passed, 1 flaky, 0 failed, 0 error, 0 skipped');
    expect(output).not.toContain('Did not pass');
  });

  test('a check failed by a metric alone is shown with that metric', () => {
    const run = sampleRun();
    delete run.checks[2]!.error;
    expect(plainOutput(run)).toContain('FAIL  queue.built-in-succeed 1m 1s claim_latency_ms 75000 > limit 60000 (+15000)\n');
  });

  test('an unknown deployment version is said to be unknown', () => {
    const run = sampleRun();
    run.deployment.version = null;
    expect(plainOutput(run)).toContain('deployment: https://tc.example.com, version unknown');
  });

  test('says when the preflight could not read the scopes, and how far the clock is off', () => {
    const run = sampleRun();
    run.preflight = { scopes: 'unreadable', scopesProblem: 'auth.currentScopes() was refused (403): the client lacks auth:current-scopes', serverClockOffsetMs: -7_200_000 };
    const lines = plainOutput(run).split('\n');
    expect(lines[1]).toBe("preflight: cannot read the client's scopes (auth.currentScopes() was refused (403): the client lacks auth:current-scopes): checks run without a preflight, so a missing scope fails a check instead of skipping it");
    expect(lines[2]).toBe("preflight: local clock is 2h 0m ahead of the deployment: requests are signed and results stamped with the deployment's time");
    expect(plainOutput()).not.toContain('preflight:');
  });
});

describe('the live console', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function liveOutput(options: Partial<ConsoleReporterOptions> = {}, columns = 100) {
    vi.useFakeTimers();
    let now = 1_000_000;
    const stream = fakeStream(true, columns);
    const reporter = createConsoleReporter({ stream, mode: 'live', clock: { now: () => now }, ...options });
    const duringChecks: string[] = [];
    play(reporter, sampleRun(), () => {
      now += 1500;
      vi.advanceTimersByTime(500);
      // What the screen shows while this check runs, after a redraw by the timer.
      duringChecks.push(screen(stream.text()).join('\n'));
    });
    return { stream, output: stream.text(), duringChecks };
  }

  test('redraws with ANSI cursor moves and colours', () => {
    const { output } = liveOutput();
    expect(output).toMatch(/\x1b\[\d+A\r\x1b\[J/);
    expect(output).toContain('\x1b[32mPASS \x1b[0m');
    expect(output).toContain('\x1b[31mFAIL \x1b[0m');
  });

  test('shows each running check with its elapsed time, then its outcome', () => {
    const { duringChecks } = liveOutput();
    expect(duringChecks[0]).toContain('RUN  \x1b[0m ping.queue 1.5s');
    expect(duringChecks[0]).toContain('0/5 done, 1 running');
    expect(duringChecks[1]).toContain('PASS \x1b[0m ping.queue 123ms');
    expect(duringChecks[1]).toContain('ping.auth 1.5s');
  });

  test('names the attempt that did not pass while the check is still running', () => {
    const stream = fakeStream(true, 200);
    const reporter = createConsoleReporter({ stream, mode: 'live', color: false, clock: { now: () => 0 } });
    const flaky = sampleRun().checks[1]!;
    reporter.onCheckStart?.(flaky.id);
    reporter.onAttemptEnd?.(flaky.id, flaky.attempts[0]!);
    expect(screen(stream.text())).toEqual([
      'RUN   ping.auth 0ms (attempt 1 error: Service Unavailable (HTTP 503 at https://tc.example.com/api/auth/v1/ping))',
      '0 done, 1 running',
    ]);
  });

  test('leaves the outcome lines and the summary on the screen, and no running line', () => {
    const rows = screen(liveOutput({ color: false }).output);
    expect(rows.slice(0, 6)).toEqual([
      'tc-canary: 5 checks against https://tc.example.com (run Ykm4Kk9cRBO2hT8sHdZx0w)',
      'PASS  ping.queue 123ms',
      'FLAKY ping.auth 2.3s (2 attempts) after attempt 1: Service Unavailable (HTTP 503 at https://tc.example.com/api/auth/v1/ping)',
      'FAIL  queue.built-in-succeed 1m 1s step "wait for claim": claim SLA exceeded: pending after 60 s',
      'ERROR ping.index 1.5s step "ping": Internal Server Error (HTTP 500 at https://tc.example.com/api/index/v1/ping)',
      'SKIP  secrets.roundtrip: missing scopes: secrets:set:project/tc-canary/*, secrets:get:project/tc-canary/*',
    ]);
    expect(rows).toContain('tc-canary FAILED: 1 passed, 1 flaky, 1 failed, 1 error, 1 skipped (5 checks in 1m 2s)');
    expect(rows).toContain('      claim_latency_ms 75000 > limit 60000 (+15000)');
    expect(rows.filter((row) => row.startsWith('RUN') || row.includes('running'))).toEqual([]);
  });

  test('without colour it still redraws, but paints nothing', () => {
    const { output } = liveOutput({ color: false });
    expect(output).toMatch(/\x1b\[\d+A/);
    expect(output.replace(/\x1b\[\d*[AJ]/g, '')).not.toContain('\x1b');
  });

  test('cuts running lines to the terminal width so the redraw can count them', () => {
    const { duringChecks } = liveOutput({ color: false }, 30);
    const blockRows = duringChecks.flatMap((shown) => shown.split('\n')).filter((row) => row.startsWith('RUN'));
    expect(blockRows.length).toBeGreaterThan(0);
    for (const row of blockRows) expect(row.length).toBeLessThan(30);
  });

  test('a terminal that reports no width is taken as 80 columns wide', () => {
    const { duringChecks } = liveOutput({ color: false }, 0);
    expect(duringChecks[2]).toContain('RUN   queue.built-in-succeed 1.5s\n');
  });

  test('keeps elapsed times moving between events, and stops redrawing when the run ends', () => {
    vi.useFakeTimers();
    let now = 0;
    const stream = fakeStream(true);
    const reporter = createConsoleReporter({ stream, mode: 'live', color: false, clock: { now: () => now } });
    const run = sampleRun();
    reporter.onRunStart?.({ runId: run.runId, rootUrl: run.rootUrl, startedAt: run.startedAt, preflight: run.preflight, checks: [] });
    reporter.onCheckStart?.('ping.queue');
    now = 4200;
    vi.advanceTimersByTime(1000);
    expect(screen(stream.text())[1]).toBe('RUN   ping.queue 4.2s');
    reporter.onRunEnd?.(run);
    const written = stream.writes.length;
    vi.advanceTimersByTime(5000);
    expect(stream.writes.length).toBe(written);
  });
});

test('the same run reads the same in both modes, colours and redraws aside', () => {
  const plain = fakeStream(false);
  play(createConsoleReporter({ stream: plain, mode: 'plain' }), sampleRun());
  const live = fakeStream(true);
  play(createConsoleReporter({ stream: live, mode: 'live', clock: { now: () => 0 } }), sampleRun());
  const withoutStarts = plain.text().split('\n').filter((line) => !line.startsWith('START '));
  expect(screen(live.text()).map((row) => row.replace(SGR_OR_CURSOR, ''))).toEqual(withoutStarts.slice(0, -1));
});
