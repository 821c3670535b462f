import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/result.js';
import type { Database } from '../../src/history/database.js';
import { openSqliteDatabase } from '../../src/history/sqlite.js';
import { HOUR, MINUTE, T0, checkResult, manualClock, type ManualClock } from '../history/results.js';
import { ROOT_URL, alertsConfig, mockNotify, sqliteFile, testEngine } from './support.js';

let database: Database;
let clock: ManualClock;

beforeEach(() => {
  nock.disableNetConnect();
  database = openSqliteDatabase(sqliteFile());
  clock = manualClock(T0);
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await database.close();
});

const failing = (at: number, id = 'ping.queue') => checkResult({
  id, outcome: 'failed', at,
  error: { kind: 'sla', message: 'ping answered in 1500 ms', step: 'ping', url: `${ROOT_URL}/api/queue/v1/ping` },
  metrics: { response_ms: { value: 1500, unit: 'ms', limit: 1000, ok: false } },
});
const passing = (at: number, id = 'ping.queue') => checkResult({ id, outcome: 'passed', at });

describe('alert thresholds', () => {
  it('sends nothing for the first failure and one alert when the second failure crosses the threshold', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock });
    await engine.onResult(failing(T0));
    await engine.idle();
    expect(calls).toEqual([]);

    clock.set(T0 + 5 * MINUTE);
    await engine.onResult(failing(T0 + 5 * MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.method).toBe('matrix');
    expect(call!.authorizedScopes).toEqual(['notify:matrix-room:!ops:mozilla.org']);
    expect(call!.body).toEqual({ roomId: '!ops:mozilla.org', msgtype: 'm.notice', body: expect.any(String) });
    expect(call!.body.body).toBe([
      '[tc-canary] FAILING ping.queue on tc.example.test',
      'ping.queue is failing on tc.example.test: 2 failed results in a row since 2025-03-01T10:00:00.000Z.',
      'Check: checks ping.queue',
      `- step "ping": ping answered in 1500 ms (at ${ROOT_URL}/api/queue/v1/ping)`,
      '- response_ms 1500 > limit 1000 (+500)',
      'Dashboard: https://canary.example.test/checks/ping.queue',
    ].join('\n'));
  });

  it('alerts on a check that lost its scopes (misconfigured), where a plain skip would stay silent', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock });
    const misconfigured = (at: number) => checkResult({
      id: 'ping.secrets', outcome: 'error', at,
      error: { kind: 'misconfigured', message: 'missing scopes: secrets:get:project/x (it ran before: it counts as down until the client holds them)' },
    });
    await engine.onResult(misconfigured(T0));
    clock.set(T0 + 5 * MINUTE);
    await engine.onResult(misconfigured(T0 + 5 * MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.body).toContain('FAILING ping.secrets');
    expect(calls[0]!.body.body).toContain('missing scopes: secrets:get:project/x');
  });

  it('honours a higher failure threshold; skipped results neither count nor reset the streak', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock, alerts: alertsConfig({ failureThreshold: 3 }) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.onResult(checkResult({ id: 'ping.queue', outcome: 'skipped', at: T0 + 2 * MINUTE }));
    await engine.idle();
    expect(calls).toEqual([]);
    await engine.onResult(failing(T0 + 3 * MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.body).toContain('3 failed results in a row since 2025-03-01T10:00:00.000Z');
  });

  it('a pass (or a flaky pass) between failures starts the count again', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock });
    await engine.onResult(failing(T0));
    await engine.onResult(checkResult({ id: 'ping.queue', outcome: 'flaky', at: T0 + MINUTE }));
    await engine.onResult(failing(T0 + 2 * MINUTE));
    await engine.idle();
    expect(calls).toEqual([]);
  });

  it('sends one recovery once the check passes successThreshold times in a row, naming how long it was down', async () => {
    const calls = mockNotify();
    const { engine, store } = await testEngine(database, { clock, alerts: alertsConfig({ successThreshold: 2 }) });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + 5 * MINUTE));
    await engine.onResult(passing(T0 + 10 * MINUTE));
    await engine.onResult(failing(T0 + 15 * MINUTE));
    await engine.onResult(passing(T0 + 20 * MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(1);
    expect(await store.state('ping.queue')).toMatchObject({ status: 'firing', incident: 1 });

    await engine.onResult(passing(T0 + 85 * MINUTE));
    await engine.idle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.body).toBe([
      '[tc-canary] RECOVERED ping.queue on tc.example.test',
      'ping.queue passes again on tc.example.test (2025-03-01T11:25:00.000Z), after failing for 1h 25m (since 2025-03-01T10:00:00.000Z).',
      'Check: checks ping.queue',
      'Dashboard: https://canary.example.test/checks/ping.queue',
    ].join('\n'));
    expect(await store.state('ping.queue')).toMatchObject({ status: 'ok', consecutiveFailures: 0, sinceMs: null });
  });

  it('a result older than one already seen changes nothing (replays, late copies)', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock });
    await engine.onResult(failing(T0 + MINUTE));
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.idle();
    expect(calls).toEqual([]);
  });
});

describe('reminders', () => {
  it('reminds every repeatEvery while the check stays down, counted from the last message', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock, alerts: alertsConfig({ repeatEvery: 4 * HOUR }) });
    const failAt = async (ms: number) => {
      clock.set(ms);
      await engine.onResult(failing(ms));
    };
    await failAt(T0);
    await failAt(T0 + 15 * MINUTE);
    for (let m = 30; m < 4 * 60 + 15; m += 15) await failAt(T0 + m * MINUTE);
    await engine.idle();
    expect(calls.map((c) => c.body.body.split('\n')[0])).toEqual(['[tc-canary] FAILING ping.queue on tc.example.test']);

    await failAt(T0 + (4 * 60 + 15) * MINUTE);
    await failAt(T0 + (4 * 60 + 30) * MINUTE);
    await engine.idle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.body).toContain('[tc-canary] STILL FAILING ping.queue on tc.example.test\nping.queue is still failing on tc.example.test, for 4h 15m now (since 2025-03-01T10:00:00.000Z; 18 failed results in a row).');

    await failAt(T0 + (8 * 60 + 10) * MINUTE);
    await engine.idle();
    expect(calls).toHaveLength(2);
    await failAt(T0 + (8 * 60 + 15) * MINUTE);
    await engine.idle();
    expect(calls).toHaveLength(3);
  });

  it('sends no reminder when repeatEvery is 0', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock, alerts: alertsConfig({ repeatEvery: 0 }) });
    for (let h = 0; h < 30; h++) {
      clock.set(T0 + h * HOUR);
      await engine.onResult(failing(T0 + h * HOUR));
    }
    await engine.idle();
    expect(calls).toHaveLength(1);
  });
});

describe('routes and destinations', () => {
  it('sends one message per destination of every matching route, each call with its own scope', async () => {
    const calls = mockNotify();
    const alerts = alertsConfig({
      routes: [
        { checks: 'ping.*', notify: [{ channel: 'slack', channelId: 'C0123ABCD' }, { channel: 'email', address: 'oncall@example.test' }] },
        { checks: '*', notify: [{ channel: 'pulse', routingKey: 'project.tc-canary.alerts' }] },
        { checks: 'queue.*', notify: [{ channel: 'matrix', roomId: '!queue:mozilla.org' }] },
      ],
    });
    const { engine } = await testEngine(database, { clock, alerts });
    await engine.onResult(failing(T0));
    await engine.onResult(failing(T0 + MINUTE));
    await engine.idle();
    const byMethod = Object.fromEntries(calls.map((call) => [call.method, call]));
    expect(Object.keys(byMethod).sort()).toEqual(['email', 'pulse', 'slack']);
    expect(byMethod.slack!.authorizedScopes).toEqual(['notify:slack-channel:C0123ABCD']);
    expect(byMethod.slack!.body).toEqual({ channelId: 'C0123ABCD', text: expect.stringContaining('[tc-canary] FAILING ping.queue') });
    expect(byMethod.email!.authorizedScopes).toEqual(['notify:email:oncall@example.test']);
    expect(byMethod.email!.body).toEqual({
      address: 'oncall@example.test',
      subject: '[tc-canary] FAILING ping.queue on tc.example.test',
      content: expect.stringContaining('- step "ping": ping answered in 1500 ms'),
      link: { text: 'Open in tc-canary', href: 'https://canary.example.test/checks/ping.queue' },
    });
    expect(byMethod.pulse!.authorizedScopes).toEqual(['notify:pulse:project.tc-canary.alerts']);
    expect(byMethod.pulse!.body).toMatchObject({
      routingKey: 'project.tc-canary.alerts',
      message: {
        kind: 'firing', checkId: 'ping.queue', rootUrl: ROOT_URL, incident: 1, since: '2025-03-01T10:00:00.000Z', consecutiveFailures: 2,
        outcome: 'failed', metricsOverLimit: [{ name: 'response_ms', value: 1500, unit: 'ms', limit: 1000 }],
        dashboardUrl: 'https://canary.example.test/checks/ping.queue',
      },
    });
  });
});

describe('maintenance windows mute alerts', () => {
  // A result records the window it started in (the runner asks the calendar): here 10:30 to 11:30.
  const windowStart = T0 + 30 * MINUTE;
  const recorded = <R extends CheckResult>(result: R): R => {
    const at = Date.parse(result.startedAt);
    return at >= windowStart && at < windowStart + HOUR ? { ...result, maintenance: { reason: 'queue upgrade', until: new Date(windowStart + HOUR).toISOString() } } : result;
  };

  it('failures inside a window count neither way; after it, the threshold applies afresh', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock });
    await engine.onResult(recorded(failing(T0 + 20 * MINUTE)));
    for (let m = 30; m < 90; m += 10) await engine.onResult(recorded(failing(T0 + m * MINUTE)));
    await engine.idle();
    expect(calls).toEqual([]);
    await engine.onResult(recorded(failing(T0 + 90 * MINUTE)));
    await engine.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.body).toContain('2 failed results in a row since 2025-03-01T10:20:00.000Z');
  });

  it('a check firing before the window sends neither reminders nor a recovery during it', async () => {
    const calls = mockNotify();
    const { engine } = await testEngine(database, { clock, alerts: alertsConfig({ repeatEvery: 10 * MINUTE }) });
    await engine.onResult(recorded(failing(T0)));
    await engine.onResult(recorded(failing(T0 + 10 * MINUTE)));
    clock.set(T0 + 40 * MINUTE);
    await engine.onResult(recorded(failing(T0 + 40 * MINUTE)));
    await engine.onResult(recorded(passing(T0 + 50 * MINUTE)));
    await engine.idle();
    expect(calls).toHaveLength(1);
    clock.set(T0 + 95 * MINUTE);
    await engine.onResult(recorded(passing(T0 + 95 * MINUTE)));
    await engine.idle();
    expect(calls.map((c) => c.body.body.split('\n')[0])).toEqual(['[tc-canary] FAILING ping.queue on tc.example.test', '[tc-canary] RECOVERED ping.queue on tc.example.test']);
  });
});
