import { afterEach, describe, expect, it } from 'vitest';
import { AlertStateStore, type AlertState } from '../../src/alerts/state-store.js';
import type { Database } from '../../src/history/database.js';
import { openSqliteDatabase } from '../../src/history/sqlite.js';
import { sqliteFile } from './support.js';

let database: Database | undefined;
afterEach(async () => { await database?.close(); });

describe('AlertStateStore', () => {
  it('lets only one update claim a message: a second claim of the same incident and transition sends nothing', async () => {
    database = openSqliteDatabase(sqliteFile());
    const store = await AlertStateStore.open(database);
    const firing = (now: number) => (state: AlertState) => ({
      state: { ...state, lastResultMs: now },
      claim: { incident: 1, transition: 'firing', message: { text: `firing at ${now}` } },
    });
    expect(await store.update('ping.queue', firing(1000), 1000)).toEqual({ incident: 1, transition: 'firing', message: { text: 'firing at 1000' } });
    expect(await store.update('ping.queue', firing(2000), 2000)).toBeUndefined();
    // Another check's identical incident is its own message.
    expect(await store.update('ping.auth', firing(2000), 2000)).toMatchObject({ incident: 1, transition: 'firing' });
  });
});
