// The public check API. A check only describes its steps; the runner owns timeouts, retries, cleanup,
// recording and reporting.

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
export type Requirement = 'pulse';

export interface CheckDefinition<P extends ParamSpecs = ParamSpecs> {
  /** Dotted and stable: it keys history, JUnit and metrics. */
  id: string;
  description: string;
  tags?: string[];
  /** Taskcluster scopes the check needs; a function when they depend on its parameters. */
  scopes?: ScopeExpression | ((params: ParamValues<P>) => ScopeExpression);
  requires?: Requirement[];
  /** Ids of checks that must pass (or be flaky) first; otherwise this one is skipped. */
  dependsOn?: string[];
  /** Bound on one attempt, e.g. "30s". Default 60s. */
  timeout?: string;
  /** Default: one retry after 1s. */
  retry?: RetryPolicy;
  /** Cron expression used by `serve`. */
  schedule?: string;
  params?: P;
  run(ctx: CheckContext<ParamValues<P>>): Promise<void>;
}

/** A check with its types erased, as the runner and catalogue hold it. */
export type AnyCheck = CheckDefinition<any>;

/** A file in checks/ exports one check, a list, or a family built from the configuration. */
export type CheckFamily = (env: CatalogueEnv) => AnyCheck[];
export type CheckModuleExport = AnyCheck | AnyCheck[] | CheckFamily;

export function defineCheck<P extends ParamSpecs = {}>(definition: CheckDefinition<P>): CheckDefinition<P> {
  return definition;
}

/** Checks that exist once per configured thing (service, pool): one function, evaluated with the config. */
export function defineCheckFamily(family: CheckFamily): CheckFamily {
  return family;
}

export const DEFAULT_TIMEOUT = '60s';
export const DEFAULT_RETRY: Required<RetryPolicy> = { retries: 1, minDelay: '1s' };
