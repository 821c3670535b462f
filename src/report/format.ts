// Small text builders every report shares, so a failure reads the same on the console, in JUnit and in
// an alert: the error line, the metrics over their limits, durations.

import type { CheckResult, ErrorInfo, MetricResult } from '../check/result.js';

/** Whole numbers as they are, fractions to two decimals: metrics are read, not computed with. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

/**
 * One line for an error: its message, then what it does not already say of the HTTP status, the error
 * code and the URL, e.g. "ping answered with a wrong body (HTTP 500 at https://tc.example.com/api/queue/v1/ping)".
 */
export function errorLine(error: ErrorInfo): string {
  const has = (text: string) => error.message.includes(text);
  const what: string[] = [];
  if (error.statusCode !== undefined && !has(String(error.statusCode))) what.push(`HTTP ${error.statusCode}`);
  if (error.code && !has(error.code)) what.push(error.code);
  const where = error.url && !has(error.url) ? `at ${error.url}` : undefined;
  const suffix = [what.join(' '), where].filter(Boolean).join(' ');
  return suffix ? `${error.message} (${suffix})` : error.message;
}

/** The error line with the step it happened in: `step "wait for claim": claim SLA exceeded ...`. */
export function stepErrorLine(error: ErrorInfo): string {
  return error.step ? `step "${error.step}": ${errorLine(error)}` : errorLine(error);
}

/** "claim_latency_ms 75000 > limit 60000 (+15000)"; the unit is added unless the name already ends with it. */
export function describeMetric(name: string, metric: MetricResult): string {
  const unit = metric.unit && !name.endsWith(`_${metric.unit}`) ? ` ${metric.unit}` : '';
  const value = `${name} ${formatNumber(metric.value)}${unit}`;
  if (metric.limit === undefined) return value;
  const comparison = metric.ok === false ? '>' : '<=';
  const excess = metric.ok === false ? ` (+${formatNumber(metric.value - metric.limit)}${unit})` : '';
  return `${value} ${comparison} limit ${formatNumber(metric.limit)}${unit}${excess}`;
}

export function metricsOverLimit(check: CheckResult): string[] {
  return Object.entries(check.metrics)
    .filter(([, metric]) => metric.ok === false)
    .map(([name, metric]) => describeMetric(name, metric));
}

/** Why a failed or errored check did not pass, most useful line first; empty for the other outcomes. */
export function failureDetails(check: CheckResult): string[] {
  if (check.outcome !== 'failed' && check.outcome !== 'error') return [];
  const lines = check.error ? [stepErrorLine(check.error)] : [];
  lines.push(...metricsOverLimit(check));
  if (check.attempts.length > 1) lines.push(attemptsLine(check));
  return lines;
}

/** "3 attempts: error, error, failed". */
export function attemptsLine(check: CheckResult): string {
  return `${check.attempts.length} attempts: ${check.attempts.map((attempt) => attempt.outcome).join(', ')}`;
}

/** The deployment a run was made against, as people name it: the root URL's host. */
export function deploymentName(rootUrl: string): string {
  try {
    return new URL(rootUrl).host || rootUrl;
  } catch {
    return rootUrl;
  }
}
