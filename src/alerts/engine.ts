// The alert engine: fed every check result (by `serve`'s scheduler or a run's reporter), it moves each check's
// alert state in the history database and sends the messages the moves call for, once, to every destination
// of the matching routes. Recording the move is awaited; sending is not: a slow or broken destination never
// holds up or breaks a check run. stop() waits for the messages still going out, for a bounded time, then gives
// up the rest (each one logged as not sent).

import type { CheckResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import type { AlertsConfig } from '../config/alerts.js';
import { healthOf } from '../history/accounting.js';
import type { RunReporter } from '../report/reporter.js';
import { settlesWithin } from '../runner/abortable.js';
import { DEFAULT_DELIVERY_RETRY, deliver, destinationsFor, type RetryPolicy } from './delivery.js';
import { alertMessage, type AlertMessage } from './message.js';
import type { VersionChange } from './version-change.js';
import type { Send } from './send.js';
import type { AlertStateStore, Claimed } from './state-store.js';
import { nextState, transitionKey, type AlertState } from './transition.js';

export interface AlertEngineOptions {
  alerts: AlertsConfig;
  store: AlertStateStore;
  send: Send;
  /** The deployment the checks probe, named in every message. */
  rootUrl: string;
  clock?: Clock;
  retry?: RetryPolicy;
  /** One line per event (sent, retried, given up); must mask secrets (e.g. a Redactor in front of stderr). */
  log(line: string): void;
  /** The deployment's newest version change at or before a time (from the history), for "started 12 min after 74.0.1". */
  versionChange?: (atMs: number) => Promise<VersionChange | undefined>;
}

export class AlertEngine {
  private readonly clock: Clock;
  /** Messages still going out, per check, chained so that a check's messages arrive in order. */
  private readonly sending = new Map<string, Promise<void>>();
  /** Aborted by stop(): every delivery still being tried ends, its retries with it. */
  private readonly givingUp = new AbortController();

  constructor(private readonly options: AlertEngineOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Takes one check result into account. Never rejects: a database problem is logged and the result skipped. */
  async onResult(result: CheckResult): Promise<void> {
    let claimed: Claimed<AlertMessage> | undefined;
    try {
      claimed = await this.record(result);
    } catch (error) {
      this.options.log(`alerts: cannot record the result of ${result.id}: ${(error as Error).message}`);
      return;
    }
    if (claimed) this.queue(result.id, claimed);
  }

  /** A reporter for runChecks/serve: each finished check goes to onResult. */
  reporter(): RunReporter {
    return { onCheckEnd: (result) => this.onResult(result) };
  }

  /** Resolves when every message queued so far has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.sending.size > 0) await Promise.all(this.sending.values());
  }

  /**
   * Lets the messages still going out finish within `withinMs`, then gives up the rest: each is logged as not
   * sent, and no retry is left pending. Resolves with how many messages were given up.
   */
  async stop(withinMs: number): Promise<number> {
    if (await settlesWithin(this.idle(), withinMs)) return 0;
    const pending = this.sending.size;
    this.givingUp.abort(new Error(`given up: the service stopped (its shutdown timeout passed) before it could be delivered`));
    await this.idle();
    return pending;
  }

  private async record(result: CheckResult): Promise<Claimed<AlertMessage> | undefined> {
    const { alerts, rootUrl, store } = this.options;
    const startedMs = Date.parse(result.startedAt);
    const now = this.clock.now();
    const seen = { health: healthOf(result.outcome), startedMs, muted: result.maintenance !== undefined };
    // Only a failure can start an incident, the one message that names a release.
    const versionChange = seen.health === 'down' ? await this.options.versionChange?.(startedMs) : undefined;
    return store.update<AlertMessage>(result.id, (before: AlertState) => {
      const move = nextState(before, seen, now, alerts);
      if (!move?.transition) return move;
      const context = { rootUrl, ...(alerts.dashboardUrl && { dashboardUrl: alerts.dashboardUrl }), ...(versionChange && { versionChange }) };
      const message = alertMessage(move.transition, result, before, move.state, context);
      return { state: move.state, claim: { incident: move.state.incident, transition: transitionKey(move.transition, move.state), message } };
    }, now);
  }

  private queue(checkId: string, claimed: Claimed<AlertMessage>): void {
    const previous = this.sending.get(checkId) ?? Promise.resolve();
    const next = previous.then(() => this.send(checkId, claimed));
    this.sending.set(checkId, next);
    void next.finally(() => {
      if (this.sending.get(checkId) === next) this.sending.delete(checkId);
    });
  }

  private async send(checkId: string, claimed: Claimed<AlertMessage>): Promise<void> {
    const { alerts, send, log, store } = this.options;
    const destinations = destinationsFor(alerts, checkId);
    if (destinations.length === 0) log(`alert ${claimed.message.kind} ${checkId}: no route matches this check, nothing sent`);
    const options = { retry: this.options.retry ?? DEFAULT_DELIVERY_RETRY, log, signal: this.givingUp.signal };
    const reports = await Promise.all(destinations.map((destination) => deliver(send, destination, claimed.message, options)));
    const delivered = reports.filter((report) => report.ok).length;
    try {
      await store.recordDelivery(checkId, claimed, { delivered, failed: reports.length - delivered }, this.clock.now());
    } catch (error) {
      log(`alerts: cannot record the delivery of ${claimed.message.kind} ${checkId}: ${(error as Error).message}`);
    }
  }
}
