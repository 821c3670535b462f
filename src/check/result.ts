// The plain, JSON-serialisable data a run produces. Every report, the history and the metrics are
// functions of these types; docs/report.schema.json is their public contract.

export const OUTCOMES = ['passed', 'flaky', 'failed', 'error', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What kind of problem ended an attempt; decides retry, outcome and JUnit element. */
export type ErrorKind = 'assertion' | 'sla' | 'transient' | 'timeout' | 'crash' | 'aborted' | 'misconfigured';

export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  /** Taskcluster error code (InsufficientScopes, ResourceNotFound, ...) or a socket code (ECONNREFUSED). */
  code?: string;
  statusCode?: number;
  url?: string;
  /** The step that was running when the attempt ended. */
  step?: string;
}

export type StepOutcome = 'passed' | 'failed' | 'error';

export interface StepResult {
  name: string;
  outcome: StepOutcome;
  /** Milliseconds from the attempt's start to the step's start. */
  offsetMs: number;
  durationMs: number;
  error?: string;
  /** For a wait: whether what it waited for was seen in a Pulse event or by polling. */
  seenVia?: 'pulse' | 'poll';
}

export interface AttemptResult {
  attempt: number;
  outcome: 'passed' | 'failed' | 'error';
  startedAt: string;
  durationMs: number;
  error?: ErrorInfo;
  steps: StepResult[];
}

export interface MetricResult {
  value: number;
  unit: string;
  limit?: number;
  /** Present when a limit is set: value <= limit. */
  ok?: boolean;
}

export interface ResourceRef {
  type: string;
  id: string;
}

export interface LogLine {
  /** Milliseconds since the check started. */
  offsetMs: number;
  message: string;
}

/** The maintenance window a check started in: it still ran and counts, but apart (no alert, no downtime). */
export interface MaintenanceInfo {
  reason: string;
  /** When the window ends, ISO. */
  until: string;
}

export interface CheckResult {
  id: string;
  description: string;
  tags: string[];
  /** The background process of the deployment this check exercises, when it declares one. */
  watches?: { service: string; process: string };
  outcome: Outcome;
  startedAt: string;
  durationMs: number;
  attempts: AttemptResult[];
  /** Steps of the final attempt (every attempt's steps are under attempts). */
  steps: StepResult[];
  metrics: Record<string, MetricResult>;
  resources: ResourceRef[];
  log: LogLine[];
  skipReason?: string;
  error?: ErrorInfo;
  maintenance?: MaintenanceInfo;
}

export interface RunSummary {
  passed: number;
  flaky: number;
  failed: number;
  error: number;
  skipped: number;
}

/** What the run learnt before its checks started. */
export interface PreflightInfo {
  /**
   * `read`: checks lacking scopes were skipped by name; `unreadable`: the checks ran without a preflight;
   * `not-needed`: no check of the run needs scopes, so none were asked for.
   */
  scopes: 'read' | 'unreadable' | 'not-needed';
  /** Why the scopes could not be read, when they could not. */
  scopesProblem?: string;
  /** The deployment's clock minus ours (ms); 0 within 30 s. Requests were signed and times stamped with its time. */
  serverClockOffsetMs: number;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  rootUrl: string;
  deployment: { version: string | null };
  /** Always set by the runner; absent from runs rebuilt from an older history. */
  preflight?: PreflightInfo;
  tool: { name: 'tc-canary'; version: string };
  outcome: 'passed' | 'failed';
  summary: RunSummary;
  checks: CheckResult[];
}

/** A run passes when no check failed or errored; flaky and skipped checks do not fail it. */
export function isPassing(outcome: Outcome): boolean {
  return outcome !== 'failed' && outcome !== 'error';
}

export function summarize(checks: readonly CheckResult[]): RunSummary {
  const summary: RunSummary = { passed: 0, flaky: 0, failed: 0, error: 0, skipped: 0 };
  for (const check of checks) summary[check.outcome] += 1;
  return summary;
}
