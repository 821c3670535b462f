import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteDatabase } from '../../src/history/sqlite.js';
import { describeStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tc-canary-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A path under a regular file can be opened by nobody, root included.
const notADirectory = join(dir, 'not-a-directory');
writeFileSync(notADirectory, '');

let count = 0;

describeStoreContract('SQLite', {
  async fresh() {
    const path = join(dir, `history-${++count}.db`);
    return { spec: `sqlite:${path}`, options: {}, database: async () => openSqliteDatabase(path) };
  },
  async dispose() {},
  unopenable: { spec: `sqlite:${notADirectory}/history.db`, shows: `sqlite:${notADirectory}/history.db` },
});
