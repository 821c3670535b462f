// The lifecycle every live reporter follows. File reports (JSON, JUnit) are pure functions of the
// finished RunResult instead; history and metrics listen through this same interface.

import type { AttemptResult, CheckResult, PreflightInfo, RunResult } from '../check/result.js';

export interface PlannedCheck {
  id: string;
  description: string;
  tags: string[];
}

export interface RunPlan {
  runId: string;
  /** Shared by the runs of one `run --repeat N`. */
  runGroup?: string;
  rootUrl: string;
  startedAt: string;
  /** From the preflight's /__version__, which comes before onRunStart; null when unknown. */
  deploymentVersion: string | null;
  preflight: PreflightInfo;
  checks: PlannedCheck[];
}

export interface RunReporter {
  onRunStart?(plan: RunPlan): void | Promise<void>;
  onCheckStart?(id: string): void;
  onAttemptEnd?(id: string, attempt: AttemptResult): void;
  onCheckEnd?(result: CheckResult): void | Promise<void>;
  onRunEnd?(run: RunResult): void | Promise<void>;
}
