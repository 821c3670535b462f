import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import type { Database } from '../../src/history/database.js';
import { openSqliteDatabase } from '../../src/history/sqlite.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { mockPreflight } from '../support/deployment.js';
import { MINUTE, T0, checkResult, manualClock } from '../history/results.js';
import { CREDENTIALS, ROOT_URL, alertsConfig, mockNotify, sqliteFile, testEngine } from './support.js';

let database: Database;

beforeEach(() => {
  nock.disableNetConnect();
  database = openSqliteDatabase(sqliteFile());
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await database.close();
});

const failing = (at: number) => checkResult({ id: 'ping.queue', outcome: 'error', at, error: { kind: 'transient', message: 'socket hang up', code: 'ECONNRESET', step: 'ping' } });

describe('delivery failures', () => {
  it('stop() gives up a message still being sent once its time is up: logged as not sent, recorded as failed', async () => {
    // A notify that never answers within the test: the attempt is in flight when the engine stops.
    nock(ROOT_URL).post('/api/notify/v1/matrix').delay(60_000).reply(200, {});
    const { engine, store, log } = await testEngine(database, { clock: manualClock(T0) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    const stoppedAt = Date.now();
    expect(await engine.stop(100)).toBe(1);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(log).toEqual([
      'alert firing ping.queue NOT sent to route 0 matrix !ops:mozilla.org after 1 attempt: given up: the service stopped (its shutdown timeout passed) before it could be delivered',
    ]);
    expect(await store.messages('ping.queue')).toMatchObject([{ transition: 'firing', delivered: 0, failed: 1 }]);
  });

  it('stop() waits for messages that go out in time and gives up none', async () => {
    mockNotify([500]);
    const { engine, log } = await testEngine(database, { clock: manualClock(T0) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    expect(await engine.stop(5_000)).toBe(0);
    expect(log.at(-1)).toBe('alert firing ping.queue sent to route 0 matrix !ops:mozilla.org');
  });

  it('retries a notify call answered 5xx with backoff, logging each failed attempt, and sends once it succeeds', async () => {
    const calls = mockNotify([500, 503]);
    const { engine, store, log } = await testEngine(database, { clock: manualClock(T0) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(3);
    expect(log).toEqual([
      'alert firing ping.queue to route 0 matrix !ops:mozilla.org: attempt 1 failed (Internal Server Error (HTTP 500 InternalServerError)), retrying',
      'alert firing ping.queue to route 0 matrix !ops:mozilla.org: attempt 2 failed (Internal Server Error (HTTP 503 InternalServerError)), retrying',
      'alert firing ping.queue sent to route 0 matrix !ops:mozilla.org',
    ]);
    expect(await store.messages('ping.queue')).toMatchObject([{ incident: 1, transition: 'firing', delivered: 1, failed: 0 }]);
  });

  it('gives up at once on a refusal (403 InsufficientScopes), logs it, and the state still moves on', async () => {
    const calls = mockNotify([403]);
    const { engine, store, log } = await testEngine(database, { clock: manualClock(T0) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(1);
    expect(log).toEqual(['alert firing ping.queue NOT sent to route 0 matrix !ops:mozilla.org after 1 attempt: Client ID tc-canary-alerts does not have sufficient scopes (HTTP 403 InsufficientScopes)']);
    expect(await store.messages('ping.queue')).toMatchObject([{ transition: 'firing', delivered: 0, failed: 1 }]);
    expect(await store.state('ping.queue')).toMatchObject({ status: 'firing' });
  });

  it('never breaks a check run: a run whose reporter is the engine ends normally while notify keeps failing', async () => {
    mockPreflight();
    const calls = mockNotify([500, 500, 500, 500, 500, 500]);
    const { engine, log } = await testEngine(database, { clock: manualClock(T0), alerts: alertsConfig({ failureThreshold: 1, routes: [{ checks: '*', notify: [{ channel: 'matrix', roomId: '!ops:mozilla.org' }] }] }) });
    const check = defineCheck({ id: 'test.broken', description: 'always fails', async run() { throw new Error('broken on purpose'); } });
    const run = await runChecks({
      checks: [{ check, params: {} }], rootUrl: ROOT_URL, credentials: CREDENTIALS, concurrency: 1, reporters: [engine.reporter()],
      redactor: new Redactor(), toolVersion: '0.0.0-test',
    });
    expect(run.checks[0]).toMatchObject({ id: 'test.broken', outcome: 'error' });
    await engine.idle();
    expect(calls).toHaveLength(4);
    expect(log.at(-1)).toBe('alert firing test.broken NOT sent to route 0 matrix !ops:mozilla.org after 4 attempts: Internal Server Error (HTTP 500 InternalServerError)');
  });

  it('a database that cannot be written is logged, and onResult still resolves', async () => {
    mockNotify();
    const { engine, log } = await testEngine(database, { clock: manualClock(T0) });
    await database.close();
    await expect(engine.onResult(failing(T0))).resolves.toBeUndefined();
    expect(log).toEqual([expect.stringMatching(/^alerts: cannot record the result of ping.queue: .*(closed|open)/)]);
    database = openSqliteDatabase(sqliteFile());
  });
});

describe('webhooks', () => {
  let server: Server;
  let received: Array<{ request: IncomingMessage; body: string }>;
  let statuses: number[];

  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1');
    received = [];
    statuses = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      request.on('end', () => {
        received.push({ request, body });
        response.writeHead(statuses.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the alert as JSON to a URL given as ${VAR}, retrying a 502, and never logs the URL', async () => {
    const port = (server.address() as AddressInfo).port;
    const secretUrl = `http://127.0.0.1:${port}/hooks/T000/B000/webhook-secret-path`;
    statuses = [502];
    const redactor = new Redactor();
    const alerts = alertsConfig({ routes: [{ checks: 'ping.*', notify: [{ channel: 'webhook', url: '${ALERT_WEBHOOK}' }] }] });
    const { engine, log } = await testEngine(database, { clock: manualClock(T0), alerts, env: { ALERT_WEBHOOK: secretUrl }, redactor });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.idle();

    expect(received).toHaveLength(2);
    const { request, body } = received[1]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/T000/B000/webhook-secret-path');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toMatchObject({
      kind: 'firing', checkId: 'ping.queue', incident: 1, outcome: 'error', consecutiveFailures: 2,
      details: ['step "ping": socket hang up (ECONNRESET)'], title: '[tc-canary] FAILING ping.queue on tc.example.test',
    });
    expect(log).toEqual([
      'alert firing ping.queue to route 0 webhook: attempt 1 failed (webhook answered HTTP 502), retrying',
      'alert firing ping.queue sent to route 0 webhook',
    ]);
    expect(redactor.redact(`x ${secretUrl} x`)).toBe('x *** x');
  });

  it('a webhook nobody listens on is retried, then logged as not sent', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    server = createServer();
    const alerts = alertsConfig({ failureThreshold: 1, routes: [{ checks: '*', notify: [{ channel: 'webhook', url: `http://127.0.0.1:${port}/gone` }] }] });
    const { engine, log } = await testEngine(database, { clock: manualClock(T0), alerts });
    await engine.onResult(failing(T0));
    await engine.idle();
    expect(log.at(-1)).toBe('alert firing ping.queue NOT sent to route 0 webhook after 4 attempts: webhook request failed (ECONNREFUSED)');
  });
});
