// What a check's run() is handed. Everything here records into the result; nothing here decides outcomes
// beyond what the check asserts.

import type { TaskclusterClients } from '../taskcluster/clients.js';
import type { HttpProbe } from '../http/probe.js';
import type { Clock } from '../clock.js';
import type { PulseAccess, TaskWatch } from '../pulse/access.js';
import type { PulseManagementApi } from '../pulse/management-api.js';
import type { CheckResult } from './result.js';

/** What a check may read of its own earlier results. */
export type EarlierResult = Pick<CheckResult, 'startedAt' | 'outcome' | 'metrics' | 'resources'>;

/** A check's earlier recorded results since a time (epoch ms), oldest first. */
export type EarlierResults = (checkId: string, sinceMs: number) => Promise<EarlierResult[]>;

export interface MetricOptions {
  /** "ms", "s", "count", ... */
  unit: string;
  /** A limit makes an SLA: a value above it fails the check, saying by how much. */
  limit?: number;
}

/** How a step learned of what it waited for: a Pulse event, or a poll. */
export type SeenVia = 'pulse' | 'poll';

/** What a step may add to its own entry in the reports. */
export interface StepNotes {
  seenVia(how: SeenVia): void;
}

/** The queue's events of the attempt's tasks, when Pulse is configured (ctx.taskEvents). */
export interface TaskEvents {
  /** The task's events, bound from now on; the same watch for every call of the attempt, released when it ends. */
  watch(taskId: string): Promise<TaskWatch | undefined>;
}

export interface CheckContext<P> {
  readonly checkId: string;
  readonly runId: string;
  /** Unique per attempt: name what the check creates with it. */
  readonly nonce: string;
  readonly rootUrl: string;
  readonly params: P;
  /** Clients for the deployment, without the client's own retries. */
  readonly tc: TaskclusterClients;
  readonly http: HttpProbe;
  /** Present when Pulse is configured; checks that require it are skipped otherwise. */
  readonly pulse: PulseAccess | undefined;
  /** The queue's events of this attempt's tasks: waits on a task wake on them (see waitForResolution). */
  readonly taskEvents: TaskEvents;
  /** The broker's management HTTP API, when pulse.managementUrl is configured; checks that require it are skipped otherwise. */
  readonly pulseManagement: PulseManagementApi | undefined;
  /** Aborted when the check times out or the run is interrupted. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Whether the run has Taskcluster credentials (false: anonymous). */
  readonly authenticated: boolean;
  /** The deployment's clock, for timestamps it validates (a task's `created`); ours when they agree. */
  serverNow(): number;
  /** A moment on our clock (when a message arrived, when an answer came) on the deployment's, to compare with its timestamps. */
  toServerTime(localMs: number): number;
  /** Whether earlier results can be read: false with --no-history, when a verdict across runs is impossible. */
  readonly hasHistory: boolean;
  /**
   * This check's earlier recorded results since a time (epoch ms), oldest first, for a verdict that needs a
   * trend across runs. Empty without a history (`--no-history`, a first run) or when it cannot be read.
   */
  earlierResults(sinceMs: number): Promise<EarlierResult[]>;

  /** A named, timed step, shown in every report; its failure names the step. */
  step<T>(name: string, fn: (notes: StepNotes) => Promise<T>): Promise<T>;
  /**
   * Cleanup that always runs, last registered first: after success, failure, timeout or abort. Reports show it
   * as `cleanup: <name>` (unnamed: the function's name, else its place, `cleanup 2`).
   */
  defer(fn: () => Promise<unknown>): void;
  defer(name: string, fn: () => Promise<unknown>): void;
  metric(name: string, value: number, options: MetricOptions): void;
  /** Records something the check created (a taskId, a secret name) as soon as it exists. */
  resource(type: string, id: string): void;
  /** A value the check was handed that must never be shown (a claimed run's temporary credentials): masked everywhere from now on. */
  secret(value: string): void;
  log(message: string): void;
  /** Waits, or throws as soon as the check is aborted. */
  sleep(ms: number): Promise<void>;
  /** The expectation failed: the check's outcome is `failed`. */
  fail(message: string, details?: { url?: string; statusCode?: number }): never;
  /** The check does not apply here: its outcome is `skipped` with this reason. */
  skip(reason: string): never;
}
