// The public check API. A check only describes its steps; the runner owns timeouts, retries, cleanup,
// recording and reporting. What a check creates, what it watches and what the dashboard shows of it are
// declared here too, so that no other part of tc-canary needs to know check ids, param names or metrics.

import type { ScopeExpression } from 'taskcluster-lib-scopes';
import type { CheckContext } from './context.js';
import type { ParamSpecs, ParamValues } from './params.js';
import type { CatalogueEnv } from '../catalogue/env.js';

export interface RetryPolicy {
  /** Further attempts after a transient infrastructure error (5xx, 429, reset, refused). */
  retries: number;
  /** Wait before the first retry; it doubles each time. */
  minDelay?: string;
}

/** What a check needs beyond the deployment's HTTP API; missing ones skip it with that reason. */
export type Requirement = 'pulse' | 'pulse-management';

/** The background process of a deployment whose stall turns this check red (docs/background-processes.md). */
export interface Watches {
  /** The Taskcluster service, as in its procs.yml: queue, hooks, notify, index, built-in-workers, worker-manager. */
  service: string;
  /** The process: deadlineResolver, claimResolver, dependencyResolver, scheduler, listeners, handler, ... */
  process: string;
}

/**
 * Where `tc-canary sweep` looks for what a crashed run of this check left behind, derived from the check's
 * resolved params. Tasks are found on their task queues, created by tc-canary with one of the schedulerIds.
 */
export interface Leftovers {
  tasks?: { taskQueueIds: string[]; schedulerId: string };
  secrets?: { prefix: string };
  hooks?: { group: string };
  indexEntries?: { prefix: string };
}

/** What the dashboard shows of a check. */
export interface DashboardHints {
  /** The metric an overview row and a group page plot for this check (default: one over its limit, else the first with a limit). */
  keyMetric?: string;
  /**
   * A page that gathers related checks, e.g. a worker pool's (`/pools/<id>`); with `plot`, that page plots the
   * check's key metric under this title.
   */
  group?: { kind: 'pool'; id: string; plot?: string; /** The plot's place on that page, lowest first. */ order?: number };
}

export interface CheckDefinition<P extends ParamSpecs = ParamSpecs> {
  /** Dotted and stable: it keys history, JUnit and metrics. */
  id: string;
  description: string;
  tags?: string[];
  /** Taskcluster scopes the check needs; a function when they depend on its parameters. */
  scopes?: ScopeExpression | ((params: ParamValues<P>) => ScopeExpression);
  requires?: Requirement[];
  /**
   * True for a check that needs nothing the preflight answers: no scopes, not the deployment's clock
   * (ctx.serverNow, ctx.toServerTime). It then starts while the preflight is asked instead of after it: a ping
   * costs one round trip, not two. Default false.
   */
  startsBeforePreflight?: boolean;
  /** Ids of checks that must pass (or be flaky) first; otherwise this one is skipped. */
  dependsOn?: string[];
  /** Bound on one attempt, e.g. "30s". Default 60s. */
  timeout?: string;
  /** Default: one retry after 1s. */
  retry?: RetryPolicy;
  /** Cron expression used by `serve`. */
  schedule?: string;
  params?: P;
  watches?: Watches;
  leftovers?: (params: ParamValues<P>) => Leftovers;
  dashboard?: DashboardHints;
  run(ctx: CheckContext<ParamValues<P>>): Promise<void>;
}

/** A check with its types erased, as the runner and catalogue hold it. */
export type AnyCheck = CheckDefinition<any>;

const FAMILY = Symbol.for('tc-canary.check-family');

/** Checks that exist once per configured thing (service, pool): evaluated with the configuration. */
export type CheckFamily = ((env: CatalogueEnv) => AnyCheck[]) & { readonly [FAMILY]: true };
export type CheckModuleExport = AnyCheck | AnyCheck[] | CheckFamily;

export function defineCheck<P extends ParamSpecs = {}>(definition: CheckDefinition<P>): CheckDefinition<P> {
  return definition;
}

/** Marks a function as a family, so the catalogue calls it; other exported functions of a check file are helpers. */
export function defineCheckFamily(family: (env: CatalogueEnv) => AnyCheck[]): CheckFamily {
  return Object.assign((env: CatalogueEnv) => family(env), { [FAMILY]: true as const });
}

export function isCheckFamily(value: unknown): value is CheckFamily {
  return typeof value === 'function' && (value as Partial<CheckFamily>)[FAMILY] === true;
}

export const DEFAULT_TIMEOUT = '60s';
export const DEFAULT_RETRY: Required<RetryPolicy> = { retries: 1, minDelay: '1s' };
