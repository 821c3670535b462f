// better-sqlite3, the SQLite binding the history used before node:sqlite, for the history bench to compare the
// two on the same store. The project no longer depends on it: it is installed on demand, once per Node ABI, into
// the ignored .runtimes/ folder (13.x carries its prebuilt binaries in the package; the running Node's headers
// are given in case it must compile), and fitted to the connection interface the history's SQLite driver takes.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlValue } from '../src/history/database.js';
import { sqliteDatabaseOn } from '../src/history/sqlite.js';

export const BETTER_SQLITE3_VERSION = '13.2.0';

/** The little of better-sqlite3's API used here (its types are not installed either). */
interface BetterStatement {
  readonly reader: boolean;
  all(...params: SqlValue[]): unknown[];
  run(...params: SqlValue[]): { changes: number };
}
interface BetterDatabase {
  readonly inTransaction: boolean;
  exec(sql: string): void;
  prepare(sql: string): BetterStatement;
  close(): void;
}
type BetterSqlite3 = new (path: string) => BetterDatabase;

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));

function installed(): BetterSqlite3 {
  const prefix = join(PROJECT, '.runtimes', `better-sqlite3-${BETTER_SQLITE3_VERSION}-abi${process.versions.modules}`);
  if (!existsSync(join(prefix, 'node_modules', 'better-sqlite3', 'package.json'))) {
    console.log(`  installing better-sqlite3@${BETTER_SQLITE3_VERSION} into ${prefix}`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `better-sqlite3@${BETTER_SQLITE3_VERSION}`], {
      // The running Node's own headers (npm's configured nodedir may be another line's).
      env: { ...process.env, npm_config_nodedir: dirname(dirname(process.execPath)) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return createRequire(join(prefix, 'package.json'))('better-sqlite3') as BetterSqlite3;
}

/** Opens a history database file through better-sqlite3, set up exactly as the node:sqlite one is. */
export function betterSqlite3Opener(): (path: string) => Database {
  const Binding = installed();
  return (path) => {
    const db = new Binding(path);
    return sqliteDatabaseOn({
      exec: (sql) => db.exec(sql),
      prepare(sql) {
        const statement = db.prepare(sql);
        return {
          // better-sqlite3 refuses all() on a statement that returns no rows; node:sqlite runs it.
          all: (...params) => (statement.reader ? statement.all(...params) : (statement.run(...params), [])),
          run: (...params) => statement.run(...params),
        };
      },
      get isTransaction() { return db.inTransaction; },
      close: () => db.close(),
    });
  };
}
