// Sends one message to one destination, once: the deployment's notify service (each call restricted to the
// one scope it needs) or a webhook POST. Retrying is delivery.ts's job.

import type { NotifyClient } from 'taskcluster-client';
import type { NotifyTarget } from '../config/alerts.js';
import type { AlertMessage } from './message.js';
import { notifyRequest } from './notify-request.js';

declare module 'taskcluster-client' {
  interface ClientOptions {
    /** Restricts a call to these scopes (least privilege: a misrouted message fails instead of going out). */
    authorizedScopes?: string[];
  }
}

/** `signal` cancels what can be cancelled (a webhook request); the caller stops waiting for the rest. */
export type Send = (target: NotifyTarget, message: AlertMessage, signal?: AbortSignal) => Promise<void>;

export interface SenderOptions {
  notify: NotifyClient;
  /** A webhook URL with its ${VAR} references resolved (and registered as secrets). */
  webhookUrl(url: string): string;
  webhookTimeoutMs?: number;
}

/** A webhook that did not answer 2xx; carries the status so the retry policy can judge it. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(message: string, readonly statusCode?: number, readonly code?: string) {
    super(message);
  }
}

const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export function createSender(options: SenderOptions): Send {
  return async (target, message, signal) => {
    if (target.channel === 'webhook') return postWebhook(options.webhookUrl(target.url), message, options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS, signal);
    const request = notifyRequest(target, message);
    await options.notify.use({ authorizedScopes: [request.scope] })[request.method](request.body);
  };
}

// Errors never name the URL: webhook URLs often carry a token.
async function postWebhook(url: string, message: AlertMessage, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tc-canary' },
      body: JSON.stringify(message),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : undefined;
    throw new WebhookError(`webhook request failed${code ? ` (${code})` : ''}`, undefined, code);
  }
  await response.body?.cancel();
  if (!response.ok) throw new WebhookError(`webhook answered HTTP ${response.status}`, response.status);
}
