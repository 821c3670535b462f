// One run: preflight, then every selected check under the concurrency cap, each starting once its
// dependencies have ended (a check that needs nothing the preflight answers starts beside it). Never fail-fast: a check whose dependency did not pass is skipped, the rest run.

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Credentials } from 'taskcluster-client';
import type { EarlierResults } from '../check/context.js';
import type { AnyCheck, Requirement } from '../check/define.js';
import { summarize, type CheckResult, type MaintenanceInfo, type PreflightInfo, type RunResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import { httpProbe } from '../http/probe.js';
import type { PulseAccess } from '../pulse/access.js';
import type { ManagementSettings } from '../pulse/management-settings.js';
import type { Redactor } from '../redact.js';
import type { RunReporter } from '../report/reporter.js';
import { taskclusterClients } from '../taskcluster/clients.js';
import { misconfiguredResult, runCheck, skippedResult } from './check-runner.js';
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
  /** Named by its id (not a pattern) in --check or checks.include: missing scopes make it down, not skipped. */
  named?: boolean;
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
  /** Shared by the runs of one `run --repeat N`; recorded with each. */
  runGroup?: string;
  /** Wraps the preflight, e.g. to reuse a recent one across scheduled runs (see cachedPreflight). */
  preflight?: PreflightSource;
  /** /__version__'s answer, asked for before the run (`run` asks while it loads the catalogue). */
  deploymentVersion?: Promise<DeploymentVersion> | undefined;
  /** The maintenance window a check is in at a time, if any: its result says so. */
  maintenance?: (checkId: string, atMs: number) => MaintenanceInfo | undefined;
  /** Where checks read their earlier results (the history); without it they see none. */
  earlierResults?: EarlierResults | undefined;
}

/** The tag of the checks that create tasks (and wait on them): see docs/writing-checks.md. */
const TASK_TAG = 'task';

/** What each requirement a check may declare needs of the run, and the skip reason without it. */
const REQUIREMENTS: Record<Requirement, { met(request: RunRequest): boolean; missing: string }> = {
  pulse: { met: (request) => request.pulse !== undefined, missing: 'no Pulse configured (set pulse.url in the config or PULSE_URL)' },
  'pulse-management': { met: (request) => request.pulseManagement !== undefined, missing: 'no Pulse management API configured (set pulse.managementUrl in the config)' },
};

/** How far back a check's results are searched for a run that shows it held the scopes it now lacks. */
const HELD_SCOPES_LOOKBACK_MS = 86_400_000;

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
  const startedLocally = clock.now();
  const authenticated = request.credentials !== undefined;
  const tc = taskclusterClients(request.rootUrl, request.credentials);

  // A preflight shared by many runs (serve's cache) reads the scopes for any of them; a run's own, for its checks.
  const askScopes = request.preflight !== undefined || request.checks.some(({ check, params, excludedReason }) => !excludedReason && requiredScopes(check, params) !== undefined);
  // An interruption does not wait for an answer asked for before the run.
  const version = request.deploymentVersion && abortable(request.deploymentVersion, signal).catch(() => UNKNOWN_VERSION);
  // A run that creates tasks opens the queue their waits listen on while the preflight is asked.
  if (request.checks.some(({ check, excludedReason }) => !excludedReason && check.tags?.includes(TASK_TAG))) request.pulse?.prepareTaskEvents();
  const makePreflight = () => preflight(tc, httpProbe(signal, clock.now), request.rootUrl, clock.now, { askScopes, ...(version && { version }) });
  const semaphore = new Semaphore(request.concurrency);
  // Every check's end, known before any starts, so a check can await its dependencies in any order.
  const ended = new Map(request.checks.map((planned) => [planned.check.id, settleLater<CheckResult>()]));
  // A check that needs nothing the preflight answers starts while it is asked (a ping then costs one round
  // trip, not two); its start and end are reported once the run's start is.
  const startsEarly = ({ check, params, excludedReason }: PlannedRunCheck) => check.startsBeforePreflight === true && !excludedReason && requiredScopes(check, params) === undefined;

  const started = (async () => {
    const found = await (request.preflight ? request.preflight(makePreflight) : makePreflight());
    const { deploymentVersion, serverClockOffsetMs } = found;
    // What the run records is stamped with the deployment's time (ours may be hours off). Checks keep timing
    // themselves on ours, as Pulse stamps its messages, and convert with ctx.serverNow/toServerTime.
    const runClock: Clock = serverClockOffsetMs === 0 ? clock : { now: () => clock.now() + serverClockOffsetMs };
    const startedMs = startedLocally + serverClockOffsetMs;
    const preflightInfo: PreflightInfo = {
      scopes: !found.scopesAsked ? 'not-needed' : found.scopes === undefined ? 'unreadable' : 'read',
      ...(found.scopesProblem !== undefined && { scopesProblem: request.redactor.redact(found.scopesProblem) }),
      serverClockOffsetMs,
    };
    await emit(request.reporters, (r) => r.onRunStart?.({ runId, ...(request.runGroup !== undefined && { runGroup: request.runGroup }), rootUrl: request.rootUrl, startedAt: new Date(startedMs).toISOString(), deploymentVersion, preflight: preflightInfo, checks: request.checks.map(({ check }) => ({ id: check.id, description: check.description, tags: [...(check.tags ?? [])] })) }));
    return { found, runClock, startedMs, preflightInfo };
  })();
  // Its failure ends the run below; a check started early does not make it an unhandled one.
  started.catch(() => undefined);
  const env = (serverClockOffsetMs: number | undefined): RunEnvironment => ({ runId, rootUrl: request.rootUrl, tc, pulse: request.pulse, pulseManagement: request.pulseManagement, authenticated, serverClockOffsetMs, clock, redactor: request.redactor, signal, earlierResults: request.earlierResults });

  const skipReasonBeforeStart = async (planned: PlannedRunCheck): Promise<string | undefined> => {
    const { check } = planned;
    if (planned.excludedReason) return planned.excludedReason;
    for (const dependency of check.dependsOn ?? []) {
      const dependencyResult = await ended.get(dependency)?.promise;
      const reason = dependencyResult && dependencySkipReason(dependency, dependencyResult);
      if (reason) return reason;
    }
    if (signal.aborted) return 'the run was interrupted before this check started';
    const unmet = (check.requires ?? []).find((requirement) => !REQUIREMENTS[requirement].met(request));
    if (unmet) return REQUIREMENTS[unmet].missing;
    return undefined;
  };

  // A check skipped for missing scopes hides a revoked scope: when it ran before, or the config names it, it is down.
  const expectedToRun = async (planned: PlannedRunCheck, runClock: Clock): Promise<string | undefined> => {
    if (planned.named) return 'the config names it';
    const earlier = await request.earlierResults?.(planned.check.id, runClock.now() - HELD_SCOPES_LOOKBACK_MS).catch(() => []) ?? [];
    return earlier.some((result) => result.outcome !== 'skipped') ? 'it ran before' : undefined;
  };

  /** The result of a check that cannot start: skipped, or misconfigured; undefined when it may run. */
  const notStarted = async (planned: PlannedRunCheck, early: boolean): Promise<CheckResult | undefined> => {
    const reason = await skipReasonBeforeStart(planned);
    if (reason === undefined && early) return undefined;
    const { found, runClock } = await started;
    // Stamped once the dependencies it waited for have ended.
    const startedAt = new Date(runClock.now()).toISOString();
    if (reason !== undefined) return skippedResult(planned.check, request.redactor.redact(reason), startedAt);
    const missingScopes = missingScopesReason(planned.check, planned.params, found.scopes, authenticated);
    if (missingScopes === undefined) return undefined;
    const why = await expectedToRun(planned, runClock);
    return why === undefined
      ? skippedResult(planned.check, request.redactor.redact(missingScopes), startedAt)
      : misconfiguredResult(planned.check, request.redactor.redact(`${missingScopes} (${why}: it counts as down until the client holds them)`), startedAt);
  };

  const execute = async (planned: PlannedRunCheck): Promise<CheckResult> => {
    const early = startsEarly(planned);
    if (!early) await started;
    const ran = await notStarted(planned, early) ?? await semaphore.use(async () => {
      // The interruption may have come while this check waited for a slot.
      if (signal.aborted) return skippedResult(planned.check, 'the run was interrupted before this check started', new Date((await started).runClock.now()).toISOString());
      // An early check runs without the deployment's clock; the others have it already.
      const running = runCheck(planned.check, planned.params, env(early ? undefined : (await started).found.serverClockOffsetMs));
      const { found } = await started;
      request.reporters.forEach((r) => r.onCheckStart?.(planned.check.id));
      return onServerClock(await running, found.serverClockOffsetMs);
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

  const { found, runClock, startedMs, preflightInfo } = await started;
  const finishedMs = runClock.now();
  const summary = summarize(results);
  const run: RunResult = {
    schemaVersion: 1,
    runId,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
    durationMs: finishedMs - startedMs,
    rootUrl: request.rootUrl,
    deployment: { version: found.deploymentVersion },
    preflight: preflightInfo,
    tool: { name: 'tc-canary', version: request.toolVersion },
    outcome: summary.failed + summary.error > 0 ? 'failed' : 'passed',
    summary,
    checks: results,
  };
  await emit(request.reporters, (r) => r.onRunEnd?.(run));
  return run;
}

/** A check's result with its times moved from our clock to the deployment's. */
function onServerClock(result: CheckResult, offsetMs: number): CheckResult {
  if (offsetMs === 0) return result;
  const shift = (iso: string) => new Date(Date.parse(iso) + offsetMs).toISOString();
  return { ...result, startedAt: shift(result.startedAt), attempts: result.attempts.map((attempt) => ({ ...attempt, startedAt: shift(attempt.startedAt) })) };
}

function settleLater<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

async function emit(reporters: RunReporter[], call: (reporter: RunReporter) => void | Promise<void>): Promise<void> {
  for (const reporter of reporters) await call(reporter);
}
