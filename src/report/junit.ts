// The JUnit XML report (`--junit FILE`), in the Ant/Surefire shape CI systems parse: one <testsuite> per
// run named after the deployment, one <testcase> per check. Retried attempts are Surefire's
// <flakyFailure>/<flakyError> (passed after a retry) and <rerunFailure>/<rerunError> (did not pass).
// docs/reports.md describes the mapping for users.

import junitReportBuilder, { type Builder, type TestCase, type TestSuite } from 'junit-report-builder';
import type { AttemptResult, CheckResult, RunResult, StepResult } from '../check/result.js';
import { deploymentName, describeMetric, failureDetails, stepErrorLine } from './format.js';
import { formatElapsed } from '../check/duration.js';

// The package is CommonJS: under NodeNext its default import is typed as the module object.
const junit = junitReportBuilder as unknown as Builder;

type XmlElement = ReturnType<TestCase['build']>;

export interface JunitOptions {
  /** The machine that ran the checks (the testsuite's `hostname`); left out when not given. */
  hostname?: string;
}

export function renderJunitReport(run: RunResult, options: JunitOptions = {}): string {
  // A new builder per report: the package's default instance is shared, global state.
  const builder = junit.newBuilder().name('tc-canary');
  const suite = builder
    .testSuite()
    .name(deploymentName(run.rootUrl))
    .time(seconds(run.durationMs))
    .timestamp(antTimestamp(run.startedAt))
    .property('rootUrl', run.rootUrl)
    .property('deployment.version', run.deployment.version ?? 'unknown')
    .property('tc-canary.version', run.tool.version)
    .property('runId', run.runId)
    .property('timestamp', run.startedAt);
  if (run.preflight) {
    const { scopes, scopesProblem, serverClockOffsetMs } = run.preflight;
    suite.property('preflight.scopes', scopesProblem ? `${scopes}: ${scopesProblem}` : scopes).property('preflight.serverClockOffsetMs', String(serverClockOffsetMs));
  }
  const { hostname } = options;
  if (hostname) afterBuild(suite, (element) => element.att('hostname', hostname));
  for (const check of run.checks) addTestCase(suite, check);
  return builder.build();
}

function addTestCase(suite: TestSuite, check: CheckResult): void {
  const testCase = suite
    .testCase()
    .className(`tc-canary.${check.id.split('.')[0]}`)
    .name(check.id)
    .time(seconds(check.durationMs));
  const details = failureDetails(check);
  const message = details[0] ?? check.outcome;
  const text = cdataSafe(details.join('\n'));
  if (check.outcome === 'failed') testCase.failure(message, check.error?.kind ?? 'assertion').stacktrace(text);
  if (check.outcome === 'error') testCase.error(message, check.error?.kind ?? 'crash', text);
  if (check.outcome === 'skipped') testCase.skipped();
  afterBuild(testCase, (element) => {
    // The builder writes a bare <skipped/>; CI systems show its message as the reason.
    if (check.skipReason) childNamed(element, 'skipped')?.att('message', check.skipReason);
    for (const attempt of retriedAttempts(check)) addAttemptElement(element, check, attempt);
    element.ele('system-out').txt(checkLog(check));
  });
}

/** Attempts that ended badly and were followed by another: all but the last. */
function retriedAttempts(check: CheckResult): AttemptResult[] {
  return check.attempts.slice(0, -1).filter((attempt) => attempt.outcome !== 'passed');
}

function addAttemptElement(testCase: XmlElement, check: CheckResult, attempt: AttemptResult): void {
  const prefix = check.outcome === 'flaky' ? 'flaky' : 'rerun';
  const name = `${prefix}${attempt.outcome === 'failed' ? 'Failure' : 'Error'}`;
  const message = `attempt ${attempt.attempt}: ${attempt.error ? stepErrorLine(attempt.error) : attempt.outcome}`;
  const type = attempt.error?.kind ?? attempt.outcome;
  testCase.ele(name, { message, type }).ele('system-out').txt(stepLines(attempt.steps).join('\n'));
}

/** The check's story for <system-out>: every attempt with its timed steps, metrics, resources, log lines. */
function checkLog(check: CheckResult): string {
  const lines = [
    `${check.id}: ${check.description}`,
    check.skipReason ? `skipped: ${check.skipReason}` : `${check.outcome} in ${formatElapsed(check.durationMs)}`,
  ];
  for (const attempt of check.attempts) {
    const how = attempt.error ? `: ${stepErrorLine(attempt.error)}` : '';
    lines.push('', `attempt ${attempt.attempt} ${attempt.outcome} after ${formatElapsed(attempt.durationMs)}${how}`);
    lines.push(...stepLines(attempt.steps));
  }
  const metrics = Object.entries(check.metrics);
  if (metrics.length) lines.push('', 'metrics:', ...metrics.map(([name, metric]) => `  ${describeMetric(name, metric)}`));
  if (check.resources.length) lines.push('', 'resources:', ...check.resources.map((r) => `  ${r.type} ${r.id}`));
  if (check.log.length) lines.push('', 'log:', ...check.log.map((line) => `  ${offset(line.offsetMs)}  ${line.message}`));
  return lines.join('\n');
}

/** "  +0.185s  wait for claim  failed  1m01s  claim SLA exceeded: pending after 60 s" */
function stepLines(steps: StepResult[]): string[] {
  return steps.map((step) => {
    const error = step.error ? `  ${step.error}` : '';
    const seen = step.seenVia ? `  seen via ${step.seenVia}` : '';
    return `  ${offset(step.offsetMs)}  ${step.name}  ${step.outcome}  ${formatElapsed(step.durationMs)}${seen}${error}`;
  });
}

function offset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)}s`;
}

/** JUnit times are decimal seconds. */
function seconds(ms: number): number {
  return Number((ms / 1000).toFixed(3));
}

/** Ant's schema wants the timestamp without a zone: UTC, to the second. */
function antTimestamp(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}

/**
 * The builder escapes only the first "]]>" in CDATA text, so a second one would end the section early
 * and break the file; break them all up (visibly) first.
 */
function cdataSafe(text: string): string {
  return text.replaceAll(']]>', ']] >');
}

/**
 * junit-report-builder has no API for Surefire's extra elements and attributes: add them to the XML
 * element it builds for this node, through the same builder (so escaping stays its job).
 */
function afterBuild(node: { build(parent: XmlElement): XmlElement }, extend: (element: XmlElement) => void): void {
  const build = node.build.bind(node);
  node.build = (parent) => {
    const element = build(parent);
    extend(element);
    return element;
  };
}

function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child): child is XmlElement => (child as XmlElement).name === name);
}
