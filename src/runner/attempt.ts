// One attempt of one check: builds its ctx, runs it under its timeout, always runs its cleanups, and turns
// what happened into plain data.

import { randomBytes } from 'node:crypto';
import type { AnyCheck } from '../check/define.js';
import type { CheckContext, MetricOptions, SeenVia } from '../check/context.js';
import { AssertionFailure, CheckAborted, CheckSkipped, CheckTimeout, SlaExceeded, describeError, errorKind, isFailure } from '../check/errors.js';
import type { AttemptResult, LogLine, MetricResult, ResourceRef, StepResult } from '../check/result.js';
import { formatDuration } from '../check/duration.js';
import { httpProbe } from '../http/probe.js';
import { ManagementApi } from '../pulse/management-api.js';
import { abortable, sleep } from './abortable.js';
import type { RunEnvironment } from './environment.js';
import { attemptTaskEvents } from './task-watches.js';

/** Cleanups get their own time, so a check that timed out can still remove what it created. */
const CLEANUP_TIMEOUT_MS = 30_000;

export interface AttemptRecord {
  result: AttemptResult;
  /** Set when the check skipped itself at run time. */
  skipReason?: string;
  /** The error as thrown, for the retry policy. */
  thrown?: unknown;
  metrics: Record<string, MetricResult>;
}

/** Everything an attempt records; shared with the check's other attempts where the data outlives one. */
export interface CheckRecorder {
  readonly startedAtMs: number;
  readonly log: LogLine[];
  readonly resources: ResourceRef[];
}

interface Deferred {
  name: string;
  fn: () => Promise<unknown>;
}

function newNonce(): string {
  return randomBytes(6).toString('hex');
}

export async function runAttempt(
  check: AnyCheck,
  params: Record<string, unknown>,
  attempt: number,
  timeoutMs: number,
  env: RunEnvironment,
  recorder: CheckRecorder,
): Promise<AttemptRecord> {
  const { clock, redactor } = env;
  const startedMs = clock.now();
  const steps: StepResult[] = [];
  const deferred: Deferred[] = [];
  const metrics: Record<string, MetricResult> = {};
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckTimeout(`timed out after ${formatDuration(timeoutMs)}`)), timeoutMs);
  const onRunAbort = () => controller.abort(new CheckAborted('the run was interrupted'));
  env.signal.addEventListener('abort', onRunAbort, { once: true });
  if (env.signal.aborted) onRunAbort();
  let currentStep: string | undefined;
  // Which step an error came out of; per attempt, because one error can reach several checks (a shared connection).
  const stepOf = new WeakMap<object, string>();

  const serverClockOffset = (): number => {
    if (env.serverClockOffsetMs === undefined) throw new Error(`${check.id} starts before the preflight (startsBeforePreflight): it cannot use the deployment's clock`);
    return env.serverClockOffsetMs;
  };
  const log = (message: string) => recorder.log.push({ offsetMs: clock.now() - recorder.startedAtMs, message: redactor.redact(message) });

  const http = httpProbe(controller.signal, clock.now);
  const taskEvents = attemptTaskEvents(env.pulse, log);
  const ctx: CheckContext<Record<string, unknown>> = {
    checkId: check.id,
    runId: env.runId,
    nonce: newNonce(),
    rootUrl: env.rootUrl,
    params,
    tc: env.tc,
    http,
    pulse: env.pulse,
    taskEvents,
    pulseManagement: env.pulseManagement && new ManagementApi(env.pulseManagement, http),
    signal: controller.signal,
    clock,
    authenticated: env.authenticated,
    serverNow: () => clock.now() + serverClockOffset(),
    toServerTime: (localMs) => localMs + serverClockOffset(),
    hasHistory: env.earlierResults !== undefined,
    async earlierResults(sinceMs) {
      if (!env.earlierResults) return [];
      try {
        return await abortable(env.earlierResults(check.id, sinceMs), controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw error;
        // The history is an aid to the verdict, not what the check probes: without it, judge from this run.
        log(`could not read earlier results from the history: ${(error as Error).message}`);
        return [];
      }
    },
    async step(name, fn) {
      const stepStart = clock.now();
      const outer = currentStep;
      currentStep = name;
      let seenVia: SeenVia | undefined;
      const notes = { seenVia: (how: SeenVia) => { seenVia = how; } };
      try {
        const value = await abortable(fn(notes), controller.signal);
        steps.push({ name, outcome: 'passed', offsetMs: stepStart - startedMs, durationMs: clock.now() - stepStart, ...(seenVia && { seenVia }) });
        return value;
      } catch (error) {
        const kind = errorKind(error);
        steps.push({
          name,
          outcome: isFailure(kind) ? 'failed' : 'error',
          offsetMs: stepStart - startedMs,
          durationMs: clock.now() - stepStart,
          error: describeError(error, (text) => redactor.redact(text)).message,
          ...(seenVia && { seenVia }),
        });
        if (error && typeof error === 'object' && !stepOf.has(error)) stepOf.set(error, name);
        throw error;
      } finally {
        currentStep = outer;
      }
    },
    defer(nameOrFn: string | (() => Promise<unknown>), maybeFn?: () => Promise<unknown>) {
      if (typeof nameOrFn === 'string') deferred.push({ name: nameOrFn, fn: maybeFn! });
      else deferred.push({ name: nameOrFn.name || `cleanup ${deferred.length + 1}`, fn: nameOrFn });
    },
    metric(name, value, options: MetricOptions) {
      const metric: MetricResult = { value, unit: options.unit };
      if (options.limit !== undefined) {
        metric.limit = options.limit;
        metric.ok = value <= options.limit;
      }
      metrics[name] = metric;
    },
    resource(type, id) {
      recorder.resources.push({ type, id });
      log(`created ${type} ${id}`);
    },
    secret: (value) => redactor.add(value),
    log,
    sleep: (ms) => sleep(ms, controller.signal),
    fail(message, details) {
      throw new AssertionFailure(message, details);
    },
    skip(reason) {
      throw new CheckSkipped(reason);
    },
  };

  let thrown: unknown;
  try {
    await abortable(Promise.resolve().then(() => check.run(ctx)), controller.signal);
    const over = Object.entries(metrics).filter(([, m]) => m.ok === false);
    if (over.length > 0) {
      throw new SlaExceeded(over.map(([name, m]) => `${name} ${m.value} ${m.unit} > limit ${m.limit} (+${m.value - m.limit!})`).join('; '));
    }
  } catch (error) {
    thrown = error;
    if (error === controller.signal.reason && currentStep) stepOf.set(error as object, currentStep);
  } finally {
    clearTimeout(timer);
    env.signal.removeEventListener('abort', onRunAbort);
  }

  const cleanupError = await runCleanups(deferred, steps, startedMs, env, log);
  taskEvents.releaseAll();
  // What the attempt left in flight (a request no step awaited) ends with it.
  controller.abort(new CheckAborted('the attempt has ended'));
  if (thrown === undefined && cleanupError !== undefined) thrown = cleanupError;

  const durationMs = clock.now() - startedMs;
  const result: AttemptResult = { attempt, outcome: 'passed', startedAt: new Date(startedMs).toISOString(), durationMs, steps };
  if (thrown instanceof CheckSkipped) {
    return { result, skipReason: redactor.redact(thrown.message), metrics };
  }
  if (thrown !== undefined) {
    const step = typeof thrown === 'object' && thrown !== null ? stepOf.get(thrown) : undefined;
    result.error = describeError(thrown, (text) => redactor.redact(text), step);
    result.outcome = isFailure(result.error.kind) ? 'failed' : 'error';
    log(`${result.outcome}: ${result.error.message}`);
  }
  return { result, thrown, metrics };
}

/** Runs cleanups last-registered first, each bounded; returns the first failure so it is not hidden. */
async function runCleanups(
  deferred: Deferred[],
  steps: StepResult[],
  attemptStartMs: number,
  env: RunEnvironment,
  log: (message: string) => void,
): Promise<Error | undefined> {
  let firstFailure: Error | undefined;
  for (const { name, fn } of deferred.reverse()) {
    const start = env.clock.now();
    const bound = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
    try {
      await abortable(Promise.resolve().then(fn), bound);
      steps.push({ name: `cleanup: ${name}`, outcome: 'passed', offsetMs: start - attemptStartMs, durationMs: env.clock.now() - start });
    } catch (error) {
      const message = env.redactor.redact(error instanceof Error ? error.message : String(error));
      steps.push({ name: `cleanup: ${name}`, outcome: 'error', offsetMs: start - attemptStartMs, durationMs: env.clock.now() - start, error: message });
      log(`cleanup "${name}" failed: ${message}`);
      firstFailure ??= new Error(`cleanup "${name}" failed: ${message}`);
    }
  }
  return firstFailure;
}
