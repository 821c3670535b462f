// Before any check runs: which scopes the run holds (one auth.currentScopes() call) and which version the
// deployment runs. Neither failing stops the run: unknown scopes let checks try, an unknown version is null.

import { removeGivenScopes, satisfiesExpression, type ScopeExpression } from 'taskcluster-lib-scopes';
import type { AnyCheck } from '../check/define.js';
import type { HttpProbe, HttpResponse } from '../http/probe.js';
import type { TaskclusterClients } from '../taskcluster/clients.js';
import { describePriorityAlternatives } from '../taskcluster/priority.js';

export interface Preflight {
  /** The scopes the run holds; undefined when they could not be read. */
  scopes: string[] | undefined;
  deploymentVersion: string | null;
  /** Server clock minus ours, when it is off by more than SKEW_TOLERANCE_MS (else 0). */
  serverClockOffsetMs: number;
}

/** Date headers have one-second precision; smaller offsets are noise and Taskcluster allows +-15 min anyway. */
const SKEW_TOLERANCE_MS = 30_000;

/** What /__version__ says: the deployment's version and how far its clock is off ours. */
export type DeploymentVersion = Pick<Preflight, 'deploymentVersion' | 'serverClockOffsetMs'>;

export const UNKNOWN_VERSION: DeploymentVersion = { deploymentVersion: null, serverClockOffsetMs: 0 };

export interface PreflightOptions {
  /** False when no check of the run needs scopes: they are not asked for, so a run of pings never loads taskcluster-client. */
  askScopes?: boolean;
  /** /__version__'s answer when it was asked for before the run (see readDeploymentVersion). */
  version?: Promise<DeploymentVersion>;
}

export async function preflight(tc: TaskclusterClients, http: HttpProbe, rootUrl: string, now: () => number, options: PreflightOptions = {}): Promise<Preflight> {
  const [scopes, version] = await Promise.all([
    // Anonymous requests get the anonymous role's scopes, so this answers with or without credentials.
    options.askScopes === false ? undefined : tc.auth.currentScopes().then((answer: { scopes?: unknown }) => (Array.isArray(answer?.scopes) ? (answer.scopes as string[]) : undefined), () => undefined),
    options.version ?? readDeploymentVersion(http, rootUrl, now),
  ]);
  return { scopes, ...version };
}

/** GET /__version__; never fails: an unanswered request is an unknown version. */
export function readDeploymentVersion(http: HttpProbe, rootUrl: string, now: () => number): Promise<DeploymentVersion> {
  return http.get(`${rootUrl.replace(/\/$/, '')}/__version__`).then(
    (response) => ({ deploymentVersion: versionOf(response.body), serverClockOffsetMs: clockOffset(response, now()) }),
    () => UNKNOWN_VERSION,
  );
}

function clockOffset(response: HttpResponse, receivedAt: number): number {
  if (response.serverDate === undefined) return 0;
  // The server stamped the response somewhere during the request: compare with its midpoint.
  const offset = response.serverDate - (receivedAt - response.durationMs / 2);
  return Math.abs(offset) > SKEW_TOLERANCE_MS ? Math.round(offset) : 0;
}

function versionOf(body: unknown): string | null {
  const version = (body as { version?: unknown } | null)?.version;
  return typeof version === 'string' && version ? version : null;
}

export function requiredScopes(check: AnyCheck, params: Record<string, unknown>): ScopeExpression | undefined {
  const scopes = typeof check.scopes === 'function' ? check.scopes(params) : check.scopes;
  return scopes === undefined || (Array.isArray((scopes as { AllOf?: unknown[] }).AllOf) && (scopes as { AllOf: unknown[] }).AllOf.length === 0) ? undefined : scopes;
}

/** Why a check must be skipped for lack of scopes, or undefined when it may run. */
export function missingScopesReason(check: AnyCheck, params: Record<string, unknown>, held: string[] | undefined, authenticated: boolean): string | undefined {
  const needed = requiredScopes(check, params);
  if (needed === undefined || held === undefined || satisfiesExpression(held, needed)) return undefined;
  const missing = removeGivenScopes(held, needed);
  const text = missing === null ? '' : formatExpression(missing);
  return authenticated ? `missing scopes: ${text}` : `needs credentials (anonymous access lacks ${text})`;
}

export function formatExpression(expression: ScopeExpression): string {
  if (typeof expression === 'string') return expression;
  if ('AllOf' in expression) return expression.AllOf.map(formatExpression).join(', ');
  return describePriorityAlternatives(expression.AnyOf) ?? `one of (${expression.AnyOf.map(formatExpression).join(' | ')})`;
}
