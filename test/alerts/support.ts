// What the alert tests share: a notify service mocked with nock that records each call with the scopes the
// call was restricted to, an engine over a real database, and results from the history tests' builder.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { AlertEngine } from '../../src/alerts/engine.js';
import { alertSender } from '../../src/alerts/setup.js';
import { AlertStateStore } from '../../src/alerts/state-store.js';
import { ALERT_DEFAULTS, type AlertsConfig } from '../../src/config/alerts.js';
import type { Database } from '../../src/history/database.js';
import { Redactor } from '../../src/redact.js';
import { ROOT_URL } from '../support/deployment.js';
import type { Clock } from '../../src/clock.js';

export { ROOT_URL };
export const CREDENTIALS = { clientId: 'tc-canary-alerts', accessToken: 'alerts-access-token-never-shown' };

export interface NotifyCall {
  method: string;
  body: Record<string, any>;
  /** The authorizedScopes the call carried in its Hawk `ext`. */
  authorizedScopes: string[] | undefined;
}

function authorizedScopesOf(authorization: string | undefined): string[] | undefined {
  const ext = /ext="([^"]+)"/.exec(authorization ?? '')?.[1];
  return ext ? (JSON.parse(Buffer.from(ext, 'base64').toString('utf8')) as { authorizedScopes?: string[] }).authorizedScopes : undefined;
}

/**
 * Answers every notify call (matrix, slack, email, pulse) and records it. `statuses` are the answers of the
 * first calls, in order (then 200): a 5xx or 403 as the real service sends them.
 */
export function mockNotify(statuses: number[] = []): NotifyCall[] {
  const calls: NotifyCall[] = [];
  nock(ROOT_URL).persist().post(/^\/api\/notify\/v1\/(matrix|slack|email|pulse)$/).reply(function (uri, body) {
    calls.push({ method: uri.split('/').pop()!, body: body as Record<string, any>, authorizedScopes: authorizedScopesOf(this.req.headers.authorization as string | undefined) });
    const status = statuses.shift() ?? 200;
    if (status === 200) return [200, 'OK', { 'content-type': 'text/plain' }];
    const [code, message] = status === 403 ? ['InsufficientScopes', 'Client ID tc-canary-alerts does not have sufficient scopes'] : ['InternalServerError', 'Internal Server Error'];
    return [status, { code, message, requestInfo: {} }, { 'content-type': 'application/json' }];
  });
  return calls;
}

export function sqliteFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'tc-canary-alerts-')), 'history.db');
}

export function alertsConfig(overrides: Partial<AlertsConfig> = {}): AlertsConfig {
  return {
    ...ALERT_DEFAULTS,
    dashboardUrl: 'https://canary.example.test',
    routes: [{ checks: 'ping.*', notify: [{ channel: 'matrix', roomId: '!ops:mozilla.org' }] }],
    ...overrides,
  };
}

export interface TestEngine {
  engine: AlertEngine;
  store: AlertStateStore;
  log: string[];
}

export async function testEngine(database: Database, options: { alerts?: AlertsConfig; clock: Clock; env?: NodeJS.ProcessEnv; redactor?: Redactor }): Promise<TestEngine> {
  const alerts = options.alerts ?? alertsConfig();
  const redactor = options.redactor ?? new Redactor();
  redactor.add(CREDENTIALS.accessToken);
  const log: string[] = [];
  const store = await AlertStateStore.open(database);
  const engine = new AlertEngine({
    alerts,
    store,
    send: alertSender({ alerts, rootUrl: ROOT_URL, credentials: CREDENTIALS, env: options.env ?? {}, redactor, source: 'test config' }),
    rootUrl: ROOT_URL,
    clock: options.clock,
    // Backoff in milliseconds: the tests prove retries happen, not that they wait.
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
    log: (line) => log.push(redactor.redact(line)),
  });
  return { engine, store, log };
}
