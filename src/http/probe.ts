// Plain HTTP requests for probes that are not Taskcluster API calls (ping, Dockerflow, __version__). Each
// failure says what it was: a status, a timeout or a refused connection, always with the URL. Sent with
// node:http(s), as taskcluster-client sends its calls, not with fetch: a one-shot run then does not load and
// compile undici and its WebAssembly HTTP parser (about a quarter of a run of pings' own time).

import type { IncomingMessage, RequestOptions } from 'node:http';
import { TransientError, isTransient } from '../check/errors.js';
import { loadOnUse } from '../load-on-use.js';

// Not ES-imported: node:http's namespace would load undici, which is what this module avoids (25 ms of a run's
// start); node:https (and TLS) only for an https URL.
const nodeHttp = loadOnUse<typeof import('node:http')>('node:http');
const nodeHttps = loadOnUse<typeof import('node:https')>('node:https');

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
  const err = error as { name?: string; code?: string; message?: string };
  if (err.name === 'TimeoutError') {
    return new TransientError(`GET ${url} timed out after ${timeoutMs} ms`, { url, code: 'ETIMEDOUT' });
  }
  const code = err.code;
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : err.message ?? String(error);
  const details = { url, ...(code ? { code } : {}) };
  const message = `GET ${url} failed: ${reason}`;
  // Refused, reset or timed-out connections may pass on another attempt; a malformed URL never will.
  return isTransient({ code }) ? new TransientError(message, details) : Object.assign(new Error(message), { details });
}

/** The answer to one GET, its body read whole; rejects with the socket's error, or the signal's reason. */
async function send(url: URL, headers: Record<string, string> | undefined, signal: AbortSignal): Promise<{ response: IncomingMessage; text: string }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}, expected http: or https:`);
  const { request } = url.protocol === 'https:' ? nodeHttps() : nodeHttp();
  const options: RequestOptions = { method: 'GET', signal, ...(headers && { headers }) };
  return new Promise((resolve, reject) => {
    const sent = request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ response, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    sent.end();
  });
}

/** An HttpProbe bound to a check's AbortSignal, timed with the given clock. */
export function httpProbe(signal: AbortSignal, now: () => number): HttpProbe {
  return {
    async get(url, options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const started = now();
      let answer: { response: IncomingMessage; text: string };
      try {
        answer = await send(new URL(url), options.headers, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw networkError(url, error, timeoutMs);
      }
      const { response, text } = answer;
      const durationMs = now() - started;
      const status = response.statusCode ?? 0;
      const contentType = response.headers['content-type'] ?? '';
      if (status >= 500 || status === 429) {
        throw new TransientError(`GET ${url} answered ${status} ${response.statusMessage ?? ''}`.trim(), { url, statusCode: status });
      }
      let body: unknown = text;
      if (contentType.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text; // the check judges a body that claims JSON but is not
        }
      }
      const serverDate = Date.parse(response.headers.date ?? '');
      return { url, status, contentType, body, durationMs, ...(Number.isNaN(serverDate) ? {} : { serverDate }) };
    },
  };
}
