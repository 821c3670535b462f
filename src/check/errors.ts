// The one error classification: the runner's retry policy, outcomes, JUnit's failure-vs-error and the
// metrics all read it from here.

import type { ErrorInfo, ErrorKind } from './result.js';

/** A probe's expectation was not met: the deployment answered, but wrongly. Never retried. */
export class AssertionFailure extends Error {
  override readonly name: string = 'AssertionFailure';
  constructor(message: string, readonly details: { url?: string; statusCode?: number } = {}) {
    super(message);
  }
}

/** A measured value exceeded its limit. Never retried. */
export class SlaExceeded extends AssertionFailure {
  override readonly name: string = 'SlaExceeded';
}

/** The check decided at run time that it does not apply (e.g. a pool without cloud workers). */
export class CheckSkipped extends Error {
  override readonly name: string = 'CheckSkipped';
}

/** The check's time ran out. */
export class CheckTimeout extends Error {
  override readonly name: string = 'CheckTimeout';
}

/** The run was interrupted (SIGINT, SIGTERM) before the check finished. */
export class CheckAborted extends Error {
  override readonly name: string = 'CheckAborted';
}

/** An infrastructure problem worth another attempt, raised by a probe that detects one itself. */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
  constructor(message: string, readonly details: { url?: string; statusCode?: number; code?: string } = {}) {
    super(message);
  }
}

const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH',
  'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ERR_GOT_REQUEST_ERROR',
]);

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  url?: unknown;
  cause?: unknown;
  details?: { url?: string; statusCode?: number; code?: string };
}

function socketCode(err: ErrorShape): string | undefined {
  if (typeof err.code === 'string' && err.code.startsWith('E')) return err.code;
  const cause = err.cause as ErrorShape | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return undefined;
}

/** Whether another attempt may succeed: 5xx, 429, refused or reset connections, a single request's timeout. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof AssertionFailure || error instanceof CheckSkipped || error instanceof CheckTimeout || error instanceof CheckAborted) return false;
  const err = (error ?? {}) as ErrorShape;
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  if (status !== undefined) return status >= 500 || status === 429;
  const code = socketCode(err);
  return code !== undefined && TRANSIENT_SOCKET_CODES.has(code);
}

export function errorKind(error: unknown): ErrorKind {
  if (error instanceof SlaExceeded) return 'sla';
  if (error instanceof AssertionFailure) return 'assertion';
  if (error instanceof CheckTimeout) return 'timeout';
  if (error instanceof CheckAborted) return 'aborted';
  return isTransient(error) ? 'transient' : 'crash';
}

/** An assertion or SLA failed: the check's outcome is `failed`; anything else is an `error`. */
export function isFailure(kind: ErrorKind): boolean {
  return kind === 'assertion' || kind === 'sla';
}

/** Plain data for a thrown value; `redact` removes secrets from every string that leaves the process. */
export function describeError(error: unknown, redact: (text: string) => string, step?: string): ErrorInfo {
  const err = (error ?? {}) as ErrorShape;
  const details = err.details ?? {};
  const info: ErrorInfo = { kind: errorKind(error), message: redact(typeof err.message === 'string' && err.message ? firstParagraph(err.message) : String(error)) };
  const code = typeof err.code === 'string' ? err.code : details.code ?? socketCode(err);
  if (code) info.code = code;
  const statusCode = typeof err.statusCode === 'number' ? err.statusCode : details.statusCode;
  if (statusCode !== undefined) info.statusCode = statusCode;
  const url = typeof err.url === 'string' ? err.url : details.url;
  if (url) info.url = redact(url);
  if (step) info.step = step;
  return info;
}

// Taskcluster appends a "---" block with method, time and request details to every error message: keep the
// sentence, drop the block (it can echo a request's payload).
function firstParagraph(message: string): string {
  const cut = message.indexOf('\n\n---');
  return (cut === -1 ? message : message.slice(0, cut)).trim();
}

/** Several measurements each against its limit: one SLA failure naming every one exceeded, rather than the first. */
export function failOnProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new SlaExceeded(problems.join('; '));
}
