// The JSON report (`--json FILE|-`): the RunResult itself, documented by docs/report.schema.json.
// Each object is rebuilt field by field so the keys always come out in the order of the types in
// src/check/result.ts, whatever order the runner filled them in, and nothing outside the contract leaks.

import type {
  AttemptResult,
  CheckResult,
  ErrorInfo,
  LogLine,
  MetricResult,
  ResourceRef,
  RunResult,
  StepResult,
} from '../check/result.js';

export function renderJsonReport(run: RunResult): string {
  return `${JSON.stringify(orderRun(run), null, 2)}\n`;
}

function orderRun(run: RunResult): RunResult {
  return {
    schemaVersion: run.schemaVersion,
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    rootUrl: run.rootUrl,
    deployment: { version: run.deployment.version },
    ...(run.preflight && {
      preflight: {
        scopes: run.preflight.scopes,
        ...(run.preflight.scopesProblem !== undefined && { scopesProblem: run.preflight.scopesProblem }),
        serverClockOffsetMs: run.preflight.serverClockOffsetMs,
      },
    }),
    tool: { name: run.tool.name, version: run.tool.version },
    outcome: run.outcome,
    summary: {
      passed: run.summary.passed,
      flaky: run.summary.flaky,
      failed: run.summary.failed,
      error: run.summary.error,
      skipped: run.summary.skipped,
    },
    checks: run.checks.map(orderCheck),
  };
}

function orderCheck(check: CheckResult): CheckResult {
  return {
    id: check.id,
    description: check.description,
    tags: [...check.tags],
    watches: check.watches && { service: check.watches.service, process: check.watches.process },
    outcome: check.outcome,
    startedAt: check.startedAt,
    durationMs: check.durationMs,
    attempts: check.attempts.map(orderAttempt),
    steps: check.steps.map(orderStep),
    metrics: Object.fromEntries(Object.entries(check.metrics).map(([name, metric]) => [name, orderMetric(metric)])),
    resources: check.resources.map(orderResource),
    log: check.log.map(orderLogLine),
    skipReason: check.skipReason,
    error: check.error && orderError(check.error),
    maintenance: check.maintenance && { reason: check.maintenance.reason, until: check.maintenance.until },
  };
}

function orderAttempt(attempt: AttemptResult): AttemptResult {
  return {
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    startedAt: attempt.startedAt,
    durationMs: attempt.durationMs,
    error: attempt.error && orderError(attempt.error),
    steps: attempt.steps.map(orderStep),
  };
}

function orderStep(step: StepResult): StepResult {
  return {
    name: step.name,
    outcome: step.outcome,
    offsetMs: step.offsetMs,
    durationMs: step.durationMs,
    error: step.error,
    seenVia: step.seenVia,
  };
}

function orderMetric(metric: MetricResult): MetricResult {
  return { value: metric.value, unit: metric.unit, limit: metric.limit, ok: metric.ok };
}

function orderResource(resource: ResourceRef): ResourceRef {
  return { type: resource.type, id: resource.id };
}

function orderLogLine(line: LogLine): LogLine {
  return { offsetMs: line.offsetMs, message: line.message };
}

function orderError(error: ErrorInfo): ErrorInfo {
  return {
    kind: error.kind,
    message: error.message,
    code: error.code,
    statusCode: error.statusCode,
    url: error.url,
    step: error.step,
  };
}
