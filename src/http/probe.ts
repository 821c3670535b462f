// Plain HTTP requests for probes that are not Taskcluster API calls (ping, Dockerflow, __version__). Each
// failure says what it was: a status, a timeout or a refused connection, always with the URL.

import { TransientError, isTransient } from '../check/errors.js';

export interface HttpResponse {
  url: string;
  status: number;
  contentType: string;
  /** Parsed JSON when the response says it is JSON, else the text. */
  body: unknown;
  durationMs: number;
  /** The server's clock from its Date header (second precision), when it sent one. */
  serverDate?: number;
}

export interface HttpProbe {
  /** GETs a URL; a 5xx or 429 throws a transient error, other statuses are returned for the check to judge. */
  get(url: string, options?: { timeoutMs?: number; headers?: Record<string, string> }): Promise<HttpResponse>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

function networkError(url: string, error: unknown, timeoutMs: number): Error {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') {
    return new TransientError(`GET ${url} timed out after ${timeoutMs} ms`, { url, code: 'ETIMEDOUT' });
  }
  // fetch wraps the socket error as its cause ("fetch failed"); some layers throw it bare.
  const socket = err.cause ?? err;
  const code = socket.code;
  const reason = code === 'ECONNREFUSED' ? 'connection refused'
    // undici's words for a port the Fetch standard blocks (1, 22, 25, 6000, ...): it never even tries to connect.
    : socket.message === 'bad port' ? `port ${new URL(url).port} is one that fetch refuses to connect to (the Fetch standard blocks it): use another port`
    : socket.message ?? String(error);
  const details = { url, ...(code ? { code } : {}) };
  const message = `GET ${url} failed: ${reason}`;
  // Refused, reset or timed-out connections may pass on another attempt; a malformed URL never will.
  return isTransient({ code }) ? new TransientError(message, details) : Object.assign(new Error(message), { details });
}

/** An HttpProbe bound to a check's AbortSignal, timed with the given clock. */
export function httpProbe(signal: AbortSignal, now: () => number): HttpProbe {
  return {
    async get(url, options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const started = now();
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), redirect: 'manual', ...(options.headers && { headers: options.headers }) });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw networkError(url, error, timeoutMs);
      }
      const text = await response.text();
      const durationMs = now() - started;
      const contentType = response.headers.get('content-type') ?? '';
      if (response.status >= 500 || response.status === 429) {
        throw new TransientError(`GET ${url} answered ${response.status} ${response.statusText}`.trim(), { url, statusCode: response.status });
      }
      let body: unknown = text;
      if (contentType.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text; // the check judges a body that claims JSON but is not
        }
      }
      const serverDate = Date.parse(response.headers.get('date') ?? '');
      return { url, status: response.status, contentType, body, durationMs, ...(Number.isNaN(serverDate) ? {} : { serverDate }) };
    },
  };
}
