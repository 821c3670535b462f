// Before any check runs: how far our clock is off the deployment's (from the Date header of /__version__, which
// also names the deployment's version) and which scopes the run holds (one auth.currentScopes() call). Neither
// failing stops the run: unknown scopes let checks try (and the reports say they ran without a preflight), an
// unknown version is null.

import { removeGivenScopes, satisfiesExpression, type ScopeExpression } from 'taskcluster-lib-scopes';
import type { AnyCheck } from '../check/define.js';
import type { HttpProbe, HttpResponse } from '../http/probe.js';
import { serviceMessageOf, statusCodeOf } from '../taskcluster/api-errors.js';
import type { TaskclusterClients } from '../taskcluster/clients.js';
import { describePriorityAlternatives } from '../taskcluster/priority.js';
import { signWithClockOffset } from '../taskcluster/signing-clock.js';

/** The scope auth.currentScopes() needs since Taskcluster v74: without it the preflight is blind. */
export const PREFLIGHT_SCOPE = 'auth:current-scopes';

export interface Preflight {
  /** The scopes the run holds; undefined when they could not be read. */
  scopes: string[] | undefined;
  /** False when no check of the run needed scopes, so none were asked for. */
  scopesAsked: boolean;
  /** Why the scopes could not be read, when they could not. */
  scopesProblem?: string;
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
  const versionAnswer = options.version ?? readDeploymentVersion(http, rootUrl, now);
  // The scopes are asked beside the version, not after it: one round trip instead of two, and taskcluster-client
  // loads while the version is on its way. They are signed with our clock until the version's Date header says
  // how far off it is.
  const scopesAnswer = options.askScopes === false ? undefined : currentScopes(tc);
  const version = await versionAnswer;
  signWithClockOffset(version.serverClockOffsetMs);
  if (!scopesAnswer) return { scopes: undefined, scopesAsked: false, ...version };
  let scopes = await scopesAnswer;
  // Refused with our clock more than the tolerance off (a stamp 15 min off is "Stale timestamp"): asked again,
  // signed with the deployment's time.
  if (version.serverClockOffsetMs !== 0 && 'problem' in scopes) scopes = await currentScopes(tc);
  return {
    scopes: 'scopes' in scopes ? scopes.scopes : undefined,
    scopesAsked: true,
    ...('problem' in scopes && { scopesProblem: scopes.problem }),
    ...version,
  };
}

/** The client's scopes (anonymous requests get the anonymous role's), or why they could not be read. */
function currentScopes(tc: TaskclusterClients): Promise<{ scopes: string[] } | { problem: string }> {
  return tc.auth.currentScopes().then(
    (answer: { scopes?: unknown }) => (Array.isArray(answer?.scopes) ? { scopes: answer.scopes as string[] } : { problem: 'auth.currentScopes() answered without a list of scopes' }),
    (error: unknown) => ({ problem: currentScopesProblem(error) }),
  );
}

/** GET /__version__; never fails: an unanswered request is an unknown version. */
export function readDeploymentVersion(http: HttpProbe, rootUrl: string, now: () => number): Promise<DeploymentVersion> {
  return http.get(`${rootUrl.replace(/\/$/, '')}/__version__`).then(
    (response) => ({ deploymentVersion: versionOf(response.body), serverClockOffsetMs: clockOffset(response, now()) }),
    () => UNKNOWN_VERSION,
  );
}

function currentScopesProblem(error: unknown): string {
  const status = statusCodeOf(error);
  if (status === 403) return `auth.currentScopes() was refused (403): the client lacks ${PREFLIGHT_SCOPE} (tc-canary scopes lists it)`;
  const reason = serviceMessageOf(error) ?? (error as Error)?.message ?? String(error);
  return `auth.currentScopes() failed${status ? ` (${status})` : ''}: ${reason}`;
}

/** "local clock is 2h 0m ahead of the deployment", from the deployment's clock minus ours. */
export function describeClockOffset(serverClockOffsetMs: number): string {
  const totalSeconds = Math.round(Math.abs(serverClockOffsetMs) / 1000);
  const [hours, minutes, seconds] = [Math.floor(totalSeconds / 3600), Math.floor(totalSeconds / 60) % 60, totalSeconds % 60];
  const amount = hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds}s`;
  return `local clock is ${amount} ${serverClockOffsetMs < 0 ? 'ahead of' : 'behind'} the deployment`;
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
