// Reading Taskcluster API errors as taskcluster-client throws them: `code`, `statusCode`, and `body.message`,
// whose text the service fills from the error's details (the missing scopes of a 403, for one).

interface ApiErrorShape {
  code?: unknown;
  statusCode?: unknown;
  body?: { message?: unknown };
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as ApiErrorShape | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/**
 * The call's answer, or undefined when the deployment answered 404: a call only newer deployments have, a pool
 * worker-manager does not manage, an index entry not (or no longer) there.
 */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The service's message without the request details block it appends after "---". */
export function serviceMessageOf(error: unknown): string | undefined {
  const message = (error as ApiErrorShape | null)?.body?.message;
  return typeof message === 'string' ? message.split('\n\n---')[0]!.trim() : undefined;
}

/**
 * The scopes a 403 InsufficientScopes says are missing. The service writes them as the first fenced block of
 * its message ("... is missing the following scopes: ```<scopes>``` ..."), a scope or a JSON expression.
 */
export function missingScopesOf(error: unknown): string | undefined {
  const err = error as ApiErrorShape | null;
  if (err?.code !== 'InsufficientScopes') return undefined;
  const message = serviceMessageOf(err) ?? '';
  const block = /```\n?([\s\S]*?)\n?```/.exec(message)?.[1]?.trim();
  if (!block) return undefined;
  try {
    return compactExpression(JSON.parse(block) as unknown);
  } catch {
    return block;
  }
}

function compactExpression(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  const node = expression as { AllOf?: unknown[]; AnyOf?: unknown[] };
  if (Array.isArray(node.AllOf)) return node.AllOf.map(compactExpression).join(', ');
  if (Array.isArray(node.AnyOf)) return `one of (${node.AnyOf.map(compactExpression).join(' | ')})`;
  return JSON.stringify(expression);
}

/** An error that keeps the API error's code and status (so the runner classifies it the same) with a clearer message. */
export class ExplainedApiError extends Error {
  override readonly name: string = 'ExplainedApiError';
  readonly code: string | undefined;
  readonly statusCode: number | undefined;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    const err = cause as ApiErrorShape | null;
    this.code = typeof err?.code === 'string' ? err.code : undefined;
    this.statusCode = statusCodeOf(cause);
  }
}

/** A 403 InsufficientScopes as an error naming the missing scopes and what was refused; any other error as it is. */
export function explainScopes(what: string, error: unknown): unknown {
  const missing = missingScopesOf(error);
  return missing === undefined ? error : new ExplainedApiError(`${what} refused (403 InsufficientScopes): missing ${missing}`, error);
}

/** Calls the API; a 403 InsufficientScopes is rethrown naming the missing scopes and what was refused. */
export async function withScopeExplanation<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainScopes(what, error);
  }
}
