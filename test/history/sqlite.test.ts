import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open.js';
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

test('a spec that names no known store says what it expects', async () => {
  await expect(openHistory('mysql://root:hunter22@db/history')).rejects.toThrow(
    'cannot open history mysql://root:***@db/history: expected sqlite:PATH, postgres://... or postgresql://...');
  await expect(openHistory('sqlite:')).rejects.toThrow('sqlite: needs a file path, e.g. sqlite:tc-canary.db');
});
