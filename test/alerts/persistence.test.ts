import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase } from '../../src/history/postgres.js';
import { openSqliteDatabase } from '../../src/history/sqlite.js';
import { MINUTE, T0, checkResult, manualClock } from '../history/results.js';
import { dropSchema, freshSchemaName } from '../support/postgres-schema.js';
import { missingService, services } from '../support/services.js';
import { alertsConfig, mockNotify, sqliteFile, testEngine } from './support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const result = (outcome: 'failed' | 'passed', at: number, id = 'ping.queue') =>
  checkResult({ id, outcome, at, ...(outcome === 'failed' && { error: { kind: 'assertion' as const, message: 'expected 200, got 500', step: 'ping' } }) });

describe('alert state survives a restart (SQLite file reopened)', () => {
  it('sends no duplicate after a restart, even when results are replayed, and recovers once', async () => {
    const calls = mockNotify();
    const file = sqliteFile();
    const clock = manualClock(T0);

    const first = openSqliteDatabase(file);
    const before = await testEngine(first, { clock });
    await before.engine.onResult(result('failed', T0));
    await before.engine.onResult(result('failed', T0 + MINUTE));
    await before.engine.idle();
    await first.close();
    expect(calls).toHaveLength(1);

    const second = openSqliteDatabase(file);
    try {
      const after = await testEngine(second, { clock });
      await after.engine.onResult(result('failed', T0 + MINUTE));
      await after.engine.onResult(result('failed', T0 + 2 * MINUTE));
      await after.engine.idle();
      expect(calls).toHaveLength(1);
      expect(await after.store.state('ping.queue')).toMatchObject({ status: 'firing', consecutiveFailures: 3, incident: 1 });

      await after.engine.onResult(result('passed', T0 + 3 * MINUTE));
      await after.engine.onResult(result('passed', T0 + 3 * MINUTE));
      await after.engine.idle();
      expect(calls.map((c) => c.body.body.split('\n')[0])).toEqual([
        '[tc-canary] FAILING ping.queue on tc.example.test', '[tc-canary] RECOVERED ping.queue on tc.example.test',
      ]);
      expect((await after.store.messages('ping.queue')).map((m) => `${m.incident}/${m.transition}`)).toEqual(['1/firing', '1/recovered']);
    } finally {
      await second.close();
    }
  });
});

if (missingService('postgresUrl')) {
  describe.skip('alerts on PostgreSQL (no PostgreSQL)', () => {});
} else {
  const url = services.postgresUrl!;

  describe('two replicas sharing PostgreSQL', () => {
    let schema: string;

    beforeEach(() => {
      schema = freshSchemaName('tc_canary_alerts');
    });
    afterEach(() => dropSchema(url, schema));

    async function replicas() {
      const databases = [await openPostgresDatabase(url, { schema }), await openPostgresDatabase(url, { schema })];
      const clock = manualClock(T0);
      // Both create the tables at once, as two replicas starting together do.
      const engines = await Promise.all(databases.map((database) => testEngine(database, { clock, alerts: alertsConfig({ repeatEvery: 30 * MINUTE }) })));
      return { engines, clock, close: () => Promise.all(databases.map((database) => database.close())) };
    }

    it('each alert goes out once when both replicas see every result, concurrently', async () => {
      const calls = mockNotify();
      const { engines, clock, close } = await replicas();
      try {
        for (let i = 0; i < 8; i++) {
          const at = T0 + i * 10 * MINUTE;
          clock.set(at);
          const outcome = i < 6 ? 'failed' : 'passed';
          await Promise.all(engines.map(({ engine }) => Promise.all(['ping.queue', 'ping.auth'].map((id) => engine.onResult(result(outcome, at, id))))));
        }
        await Promise.all(engines.map(({ engine }) => engine.idle()));
        const sent = calls.map((c) => c.body.body.split('\n')[0]).sort();
        // Each check: firing at 10 min, a reminder at 40 min (30 min after), recovery at 60 min.
        expect(sent).toEqual([
          '[tc-canary] FAILING ping.auth on tc.example.test', '[tc-canary] FAILING ping.queue on tc.example.test',
          '[tc-canary] RECOVERED ping.auth on tc.example.test', '[tc-canary] RECOVERED ping.queue on tc.example.test',
          '[tc-canary] STILL FAILING ping.auth on tc.example.test', '[tc-canary] STILL FAILING ping.queue on tc.example.test',
        ]);
      } finally {
        await close();
      }
    });

    it('replicas that each see only some results (one runs each scheduled slot) count them together', async () => {
      const calls = mockNotify();
      const { engines, close } = await replicas();
      try {
        await engines[0]!.engine.onResult(result('failed', T0));
        await engines[1]!.engine.onResult(result('failed', T0 + MINUTE));
        await Promise.all(engines.map(({ engine }) => engine.idle()));
        expect(calls).toHaveLength(1);
        expect(await engines[0]!.store.state('ping.queue')).toMatchObject({ status: 'firing', consecutiveFailures: 2 });
      } finally {
        await close();
      }
    });
  });
}
