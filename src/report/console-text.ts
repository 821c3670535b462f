// The lines the console reporter prints, the same in its live and plain modes; only the paint differs
// (ANSI colours on a terminal, none in logs).

import { OUTCOMES, type CheckResult, type Outcome, type RunResult } from '../check/result.js';
import { describeClockOffset } from '../runner/preflight.js';
import type { RunPlan } from './reporter.js';
import { errorLine, failureDetails, stepErrorLine } from './format.js';
import { formatElapsed } from '../check/duration.js';

export type Style = 'green' | 'yellow' | 'red' | 'cyan' | 'dim' | 'bold';

/** Wraps text in a style; `noPaint` leaves it as it is. */
export type Paint = (style: Style, text: string) => string;

const SGR: Record<Style, number> = { green: 32, yellow: 33, red: 31, cyan: 36, dim: 2, bold: 1 };

export const ansiPaint: Paint = (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m`;
export const noPaint: Paint = (_style, text) => text;

/** Five characters wide, so check ids line up in a log. */
const LABEL: Record<Outcome, { text: string; style: Style }> = {
  passed: { text: 'PASS ', style: 'green' },
  flaky: { text: 'FLAKY', style: 'yellow' },
  failed: { text: 'FAIL ', style: 'red' },
  error: { text: 'ERROR', style: 'red' },
  skipped: { text: 'SKIP ', style: 'dim' },
};

/** Continuation lines start under the check id. */
const INDENT = ' '.repeat(6);

export function label(outcome: Outcome, paint: Paint): string {
  return paint(LABEL[outcome].style, LABEL[outcome].text);
}

/** The run's first line, then what its preflight found worth saying: unreadable scopes, a clock far off. */
export function runStartLines(plan: RunPlan): string[] {
  const count = plan.checks.length === 1 ? '1 check' : `${plan.checks.length} checks`;
  const lines = [`tc-canary: ${count} against ${plan.rootUrl} (run ${plan.runId})`];
  const { scopes, scopesProblem, serverClockOffsetMs } = plan.preflight;
  if (scopes === 'unreadable') lines.push(`preflight: cannot read the client's scopes (${scopesProblem ?? 'no answer'}): checks run without a preflight, so a missing scope fails a check instead of skipping it`);
  if (serverClockOffsetMs !== 0) lines.push(`preflight: ${describeClockOffset(serverClockOffsetMs)}: requests are signed and results stamped with the deployment's time`);
  return lines;
}

/**
 * One line per finished check: "PASS  ping.queue 123ms", "FAIL  queue.x 61.2s step "wait for claim": ...",
 * "SKIP  x: missing scopes ...".
 */
export function outcomeLine(check: CheckResult, paint: Paint): string {
  const head = `${label(check.outcome, paint)} ${check.id}`;
  if (check.outcome === 'skipped') return `${head}: ${check.skipReason ?? 'skipped'}`;
  const parts = [head, formatElapsed(check.durationMs)];
  if (check.outcome === 'flaky') parts.push(`(${check.attempts.length} attempts)`, retriedBecause(check));
  // Why a failed or errored check did not pass (nothing for the others): the step and error, or the metric.
  parts.push(failureDetails(check)[0] ?? '');
  return parts.filter(Boolean).join(' ');
}

/** Why a flaky check needed another attempt: its last attempt that did not pass. */
function retriedBecause(check: CheckResult): string {
  const retried = check.attempts.filter((attempt) => attempt.outcome !== 'passed').at(-1);
  return retried?.error ? `after attempt ${retried.attempt}: ${errorLine(retried.error)}` : '';
}

/**
 * The block a run ends with: verdict and counts, the deployment and run, then every failed or errored
 * check with the failing step, the error (URL, status), the metrics over their limits and the attempts,
 * then the flaky ones.
 */
export function summaryLines(run: RunResult, paint: Paint): string[] {
  const verdict = run.outcome === 'passed' ? paint('green', 'PASSED') : paint('red', 'FAILED');
  const counts = OUTCOMES.map((outcome) => `${run.summary[outcome]} ${outcome}`).join(', ');
  const lines = [
    '',
    `${paint('bold', 'tc-canary')} ${verdict}: ${counts} (${run.checks.length} checks in ${formatElapsed(run.durationMs)})`,
    `deployment: ${run.rootUrl}, version ${run.deployment.version ?? 'unknown'}`,
    `run: ${run.runId}, tc-canary ${run.tool.version}`,
  ];
  const broken = run.checks.filter((check) => check.outcome === 'failed' || check.outcome === 'error');
  if (broken.length) lines.push('', 'Did not pass:');
  for (const check of broken) {
    lines.push(`${label(check.outcome, paint)} ${check.id} ${formatElapsed(check.durationMs)}`);
    lines.push(...failureDetails(check).map((detail) => INDENT + detail));
  }
  const flaky = run.checks.filter((check) => check.outcome === 'flaky');
  if (flaky.length) lines.push('', 'Passed after a retry:');
  for (const check of flaky) {
    lines.push(`${label('flaky', paint)} ${check.id} ${formatElapsed(check.durationMs)}`);
    for (const attempt of check.attempts) {
      if (attempt.error) lines.push(`${INDENT}attempt ${attempt.attempt}: ${stepErrorLine(attempt.error)}`);
    }
  }
  return lines;
}
