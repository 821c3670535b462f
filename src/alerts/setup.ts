// Builds the alert engine (and the sender `alerts test` uses) from the loaded configuration: the
// deployment's notify client with the process's credentials, webhook URLs with their ${VAR}s resolved
// (and registered as secrets), and the alert tables in the history database. Maintenance comes with each
// result (its recorded window), not from here.

import type { Credentials } from 'taskcluster-client';
import type { Clock } from '../clock.js';
import type { AlertsConfig } from '../config/alerts.js';
import { resolvePlaceholders } from '../config/placeholders.js';
import type { Database } from '../history/database.js';
import type { HistoryStore } from '../history/store.js';
import type { Redactor } from '../redact.js';
import { taskclusterClients } from '../taskcluster/clients.js';
import type { RetryPolicy } from './delivery.js';
import { AlertEngine } from './engine.js';
import { createSender, type Send } from './send.js';
import { AlertStateStore } from './state-store.js';
import { lastVersionChange } from './version-change.js';

export interface AlertSetup {
  alerts: AlertsConfig;
  rootUrl: string;
  credentials: Credentials | undefined;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** The config file, named in errors about its ${VAR}s. */
  source: string;
}

/**
 * The sender for the configured routes. Every webhook's ${VAR}s are resolved now, so a missing variable is
 * a configuration error at start-up (ConfigError, exit 2), not a lost alert later.
 */
export function alertSender(setup: AlertSetup): Send {
  const resolved = new Map<string, string>();
  setup.alerts.routes.forEach((route, i) => route.notify.forEach((target, j) => {
    if (target.channel !== 'webhook') return;
    const path = `alerts.routes.${i}.notify.${j}.webhook.url`;
    resolved.set(target.url, resolvePlaceholders(target.url, setup.env, { path, source: setup.source, redactor: setup.redactor, secret: true }));
  }));
  return createSender({
    notify: taskclusterClients(setup.rootUrl, setup.credentials).notify,
    webhookUrl: (url) => resolved.get(url) ?? url,
  });
}

/** Writes log lines to standard error with every registered secret masked. */
export function stderrLog(redactor: Redactor): (line: string) => void {
  return (line) => process.stderr.write(`${redactor.redact(line)}\n`);
}

export interface AlertEngineSetup extends AlertSetup {
  /** The history database (the same handle the history store uses; see docs/alerts.md). */
  database: Database;
  /** The history itself, for the deployment's version changes; without it alerts name none. */
  history?: Pick<HistoryStore, 'versions'>;
  clock?: Clock;
  retry?: RetryPolicy;
  log?: (line: string) => void;
}

export async function createAlertEngine(setup: AlertEngineSetup): Promise<AlertEngine> {
  return new AlertEngine({
    alerts: setup.alerts,
    store: await AlertStateStore.open(setup.database),
    send: alertSender(setup),
    rootUrl: setup.rootUrl,
    clock: setup.clock,
    retry: setup.retry,
    log: setup.log ?? stderrLog(setup.redactor),
    ...(setup.history && { versionChange: (atMs: number) => lastVersionChange(setup.history!, atMs) }),
  });
}
