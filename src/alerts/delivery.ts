// Delivers one message to each destination of the routes matching its check: transient failures (5xx,
// 429, refused or reset connections, timeouts) are retried with backoff; every outcome is logged; nothing
// here ever throws, so a broken destination can never break a check run. The signal gives up: a message still
// being tried when it aborts (the service is stopping) is logged as not sent, and no retry timer is left behind.

import pRetry from 'p-retry';
import { describeError, isTransient } from '../check/errors.js';
import { matchesPattern } from '../catalogue/pattern.js';
import type { AlertsConfig, NotifyTarget } from '../config/alerts.js';
import { errorLine } from '../report/format.js';
import { abortable } from '../runner/abortable.js';
import type { AlertMessage } from './message.js';
import type { Send } from './send.js';

export interface Destination {
  /** Index of the route in alerts.routes. */
  route: number;
  target: NotifyTarget;
}

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** Two to four minutes of trying before a message is given up: long enough to ride out a notify deploy. */
export const DEFAULT_DELIVERY_RETRY: RetryPolicy = { retries: 6, minDelayMs: 2000, maxDelayMs: 60_000 };

export interface DeliveryReport {
  destination: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

export interface DeliveryOptions {
  retry: RetryPolicy;
  log(line: string): void;
  /** Gives the delivery up: the attempt under way and any retry still to come. */
  signal?: AbortSignal;
}

/** Names a destination in logs without its secrets: a webhook's URL may carry a token, so it is never shown. */
export function describeDestination({ route, target }: Destination): string {
  const { channel, ...address } = target;
  const where = channel === 'webhook' ? '' : ` ${Object.values(address).join('')}`;
  return `route ${route} ${channel}${where}`;
}

export function destinationsFor(alerts: AlertsConfig, checkId: string): Destination[] {
  return alerts.routes.flatMap((route, index) => (matchesPattern(checkId, route.checks) ? route.notify.map((target) => ({ route: index, target })) : []));
}

export async function deliver(send: Send, destination: Destination, message: AlertMessage, options: DeliveryOptions): Promise<DeliveryReport> {
  const label = describeDestination(destination);
  let attempts = 0;
  try {
    await pRetry(async () => {
      attempts += 1;
      // A notify call cannot be cancelled: it is left to its own timeout, but the delivery no longer waits for it.
      const sent = send(destination.target, message, options.signal);
      await (options.signal ? abortable(sent, options.signal) : sent);
    }, {
      retries: options.retry.retries,
      minTimeout: options.retry.minDelayMs,
      maxTimeout: options.retry.maxDelayMs,
      factor: 2,
      randomize: true,
      ...(options.signal && { signal: options.signal }),
      shouldRetry: ({ error }) => isTransient(error),
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (retriesLeft > 0 && isTransient(error)) options.log(`alert ${message.kind} ${message.checkId} to ${label}: attempt ${attempts} failed (${reasonOf(error)}), retrying`);
      },
    });
    options.log(`alert ${message.kind} ${message.checkId} sent to ${label}`);
    return { destination: label, ok: true, attempts };
  } catch (error) {
    const reason = reasonOf(error);
    options.log(`alert ${message.kind} ${message.checkId} NOT sent to ${label} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`);
    return { destination: label, ok: false, attempts, error: reason };
  }
}

/** The error as the reports show one; secrets are masked where the log is written. */
function reasonOf(error: unknown): string {
  return errorLine(describeError(error, (text) => text));
}
