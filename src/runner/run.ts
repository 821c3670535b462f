// One run: preflight, then every selected check under the concurrency cap, each starting once its
// dependencies have ended. Never fail-fast: a check whose dependency did not pass is skipped, the rest run.

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Credentials } from 'taskcluster-client';
import type { EarlierResults } from '../check/context.js';
import type { AnyCheck, Requirement } from '../check/define.js';
import { summarize, type CheckResult, type MaintenanceInfo, type RunResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import { httpProbe } from '../http/probe.js';
import type { PulseAccess } from '../pulse/access.js';
import type { ManagementSettings } from '../pulse/management-settings.js';
import type { Redactor } from '../redact.js';
import type { RunReporter } from '../report/reporter.js';
import { taskclusterClients } from '../taskcluster/clients.js';
import { runCheck, skippedResult } from './check-runner.js';
import type { RunEnvironment } from './environment.js';
import { abortable } from './abortable.js';
import { missingScopesReason, preflight, requiredScopes, UNKNOWN_VERSION, type DeploymentVersion, type Preflight } from './preflight.js';
import { dependencySkipReason } from './dependency.js';
import { Semaphore } from './semaphore.js';

export interface PlannedRunCheck {
  check: AnyCheck;
  params: Record<string, unknown>;
  /** Set when the configuration excludes the check: it is reported as skipped with this reason. */
  excludedReason?: string;
}

export interface RunRequest {
  checks: PlannedRunCheck[];
  rootUrl: string;
  credentials: Credentials | undefined;
  concurrency: number;
  reporters: RunReporter[];
  redactor: Redactor;
  toolVersion: string;
  pulse?: PulseAccess | undefined;
  /** The broker's management API (pulse.managementUrl), for the checks that require 'pulse-management'. */
  pulseManagement?: ManagementSettings | undefined;
  clock?: Clock;
  signal?: AbortSignal;
  runId?: string;
  /** Wraps the preflight, e.g. to reuse a recent one across scheduled runs (see cachedPreflight). */
  preflight?: PreflightSource;
  /** /__version__'s answer, asked for before the run (`run` asks while it loads the catalogue). */
  deploymentVersion?: Promise<DeploymentVersion> | undefined;
  /** The maintenance window a check is in at a time, if any: its result says so. */
  maintenance?: (checkId: string, atMs: number) => MaintenanceInfo | undefined;
  /** Where checks read their earlier results (the history); without it they see none. */
  earlierResults?: EarlierResults | undefined;
}

/** What each requirement a check may declare needs of the run, and the skip reason without it. */
const REQUIREMENTS: Record<Requirement, { met(request: RunRequest): boolean; missing: string }> = {
  pulse: { met: (request) => request.pulse !== undefined, missing: 'no Pulse configured (set pulse.url in the config or PULSE_URL)' },
  'pulse-management': { met: (request) => request.pulseManagement !== undefined, missing: 'no Pulse management API configured (set pulse.managementUrl in the config)' },
};

/** Given the function that makes a preflight, answers one: by calling it, or from a cache. */
export type PreflightSource = (make: () => Promise<Preflight>) => Promise<Preflight>;

export async function runChecks(request: RunRequest): Promise<RunResult> {
  // Every running attempt listens for the run's interruption: as many listeners as the concurrency allows.
  const interruption = new AbortController();
  setMaxListeners(0, interruption.signal);
  const interrupt = () => interruption.abort(request.signal?.reason);
  if (request.signal?.aborted) interrupt();
  request.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    return await runWithin(request, interruption.signal);
  } finally {
    request.signal?.removeEventListener('abort', interrupt);
  }
}

async function runWithin(request: RunRequest, signal: AbortSignal): Promise<RunResult> {
  const clock = request.clock ?? systemClock;
  const runId = request.runId ?? randomUUID();
  const startedMs = clock.now();
  const startedAt = new Date(startedMs).toISOString();
  const authenticated = request.credentials !== undefined;
  const tc = taskclusterClients(request.rootUrl, request.credentials);

  // A preflight shared by many runs (serve's cache) reads the scopes for any of them; a run's own, for its checks.
  const askScopes = request.preflight !== undefined || request.checks.some(({ check, params, excludedReason }) => !excludedReason && requiredScopes(check, params) !== undefined);
  // An interruption does not wait for an answer asked for before the run.
  const version = request.deploymentVersion && abortable(request.deploymentVersion, signal).catch(() => UNKNOWN_VERSION);
  const makePreflight = () => preflight(tc, httpProbe(signal, clock.now), request.rootUrl, clock.now, { askScopes, ...(version && { version }) });
  const { scopes, deploymentVersion, serverClockOffsetMs } = await (request.preflight ? request.preflight(makePreflight) : makePreflight());
  await emit(request.reporters, (r) => r.onRunStart?.({ runId, rootUrl: request.rootUrl, startedAt, deploymentVersion, checks: request.checks.map(({ check }) => ({ id: check.id, description: check.description, tags: [...(check.tags ?? [])] })) }));
  const env: RunEnvironment = { runId, rootUrl: request.rootUrl, tc, pulse: request.pulse, pulseManagement: request.pulseManagement, authenticated, serverClockOffsetMs, clock, redactor: request.redactor, signal, earlierResults: request.earlierResults };

  const semaphore = new Semaphore(request.concurrency);
  // Every check's end, known before any starts, so a check can await its dependencies in any order.
  const ended = new Map(request.checks.map((planned) => [planned.check.id, settleLater<CheckResult>()]));

  const skipReasonBeforeStart = async (planned: PlannedRunCheck): Promise<string | undefined> => {
    const { check, params } = planned;
    if (planned.excludedReason) return planned.excludedReason;
    for (const dependency of check.dependsOn ?? []) {
      const dependencyResult = await ended.get(dependency)?.promise;
      const reason = dependencyResult && dependencySkipReason(dependency, dependencyResult);
      if (reason) return reason;
    }
    if (signal.aborted) return 'the run was interrupted before this check started';
    const unmet = (check.requires ?? []).find((requirement) => !REQUIREMENTS[requirement].met(request));
    if (unmet) return REQUIREMENTS[unmet].missing;
    return missingScopesReason(check, params, scopes, authenticated);
  };

  const execute = async (planned: PlannedRunCheck): Promise<CheckResult> => {
    const reason = await skipReasonBeforeStart(planned);
    const ran = reason !== undefined
      ? skippedResult(planned.check, request.redactor.redact(reason), new Date(clock.now()).toISOString())
      : await semaphore.use(async () => {
          // The interruption may have come while this check waited for a slot.
          if (signal.aborted) return skippedResult(planned.check, 'the run was interrupted before this check started', new Date(clock.now()).toISOString());
          request.reporters.forEach((r) => r.onCheckStart?.(planned.check.id));
          return runCheck(planned.check, planned.params, { ...env });
        });
    const maintenance = request.maintenance?.(planned.check.id, Date.parse(ran.startedAt));
    const result = maintenance ? { ...ran, maintenance } : ran;
    await emit(request.reporters, (r) => r.onCheckEnd?.(result));
    return result;
  };

  // The catalogue rejects dependency cycles, so awaiting dependencies cannot deadlock.
  const results = await Promise.all(request.checks.map(async (planned) => {
    const result = await execute(planned);
    ended.get(planned.check.id)!.resolve(result);
    return result;
  }));

  const finishedMs = clock.now();
  const summary = summarize(results);
  const run: RunResult = {
    schemaVersion: 1,
    runId,
    startedAt,
    finishedAt: new Date(finishedMs).toISOString(),
    durationMs: finishedMs - startedMs,
    rootUrl: request.rootUrl,
    deployment: { version: deploymentVersion },
    tool: { name: 'tc-canary', version: request.toolVersion },
    outcome: summary.failed + summary.error > 0 ? 'failed' : 'passed',
    summary,
    checks: results,
  };
  await emit(request.reporters, (r) => r.onRunEnd?.(run));
  return run;
}

function settleLater<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

async function emit(reporters: RunReporter[], call: (reporter: RunReporter) => void | Promise<void>): Promise<void> {
  for (const reporter of reporters) await call(reporter);
}
