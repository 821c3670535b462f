// `pulse.publishResults`: each finished check is broadcast on Pulse, so other tools (dashboards, bots,
// Treeherder-like consumers) can subscribe to the deployment's status instead of polling tc-canary.
// The body is a public contract, documented in docs/pulse.md: change it only with a new `version`.

import type { CheckResult, ErrorInfo, MetricResult, Outcome, ResourceRef } from '../check/result.js';
import type { RunPlan, RunReporter } from '../report/reporter.js';
import type { PulseConnection } from './connection.js';
import { checkResultExchange } from './names.js';

export interface CheckResultBody {
  version: 1;
  runId: string;
  rootUrl: string;
  check: { id: string; description: string; tags: string[] };
  outcome: Outcome;
  startedAt: string;
  durationMs: number;
  attempts: number;
  metrics: Record<string, MetricResult>;
  resources: ResourceRef[];
  skipReason?: string;
  error?: ErrorInfo;
}

export interface CheckResultMessage {
  routingKey: string;
  body: CheckResultBody;
}

/** Routing key `primary.<check id>.<outcome>`: bind `primary.#.failed` for every failure, `primary.ping.#` for a family. */
export function checkResultMessage(result: CheckResult, run: { runId: string; rootUrl: string }): CheckResultMessage {
  const body: CheckResultBody = {
    version: 1,
    runId: run.runId,
    rootUrl: run.rootUrl,
    check: { id: result.id, description: result.description, tags: result.tags },
    outcome: result.outcome,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    attempts: result.attempts.length,
    metrics: result.metrics,
    resources: result.resources,
  };
  if (result.skipReason !== undefined) body.skipReason = result.skipReason;
  if (result.error) body.error = result.error;
  return { routingKey: `primary.${result.id}.${result.outcome}`, body };
}

/** Publishes one check's result to `exchange/<namespace>/tc-canary/v1/check-result`, declaring it first. */
export async function publishCheckResult(pulse: PulseConnection, result: CheckResult, run: { runId: string; rootUrl: string }): Promise<void> {
  const exchange = checkResultExchange(pulse.namespace);
  const { routingKey, body } = checkResultMessage(result, run);
  await pulse.declareExchange(exchange);
  await pulse.publish(exchange, routingKey, body);
}

/**
 * A reporter that publishes every finished check. A failed publish never fails the run: it goes to `onError`
 * (the caller logs it) and the next check's result is tried again on a fresh connection if need be.
 */
export class PulseResultPublisher implements RunReporter {
  #run: { runId: string; rootUrl: string } | undefined;

  constructor(
    private readonly pulse: PulseConnection,
    private readonly onError: (error: unknown, checkId: string) => void,
  ) {}

  onRunStart(plan: RunPlan): void {
    this.#run = { runId: plan.runId, rootUrl: plan.rootUrl };
  }

  async onCheckEnd(result: CheckResult): Promise<void> {
    if (!this.#run) throw new Error('PulseResultPublisher: onCheckEnd before onRunStart');
    try {
      await publishCheckResult(this.pulse, result, this.#run);
    } catch (error) {
      this.onError(error, result.id);
    }
  }
}
