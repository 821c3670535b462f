// The embedded history: one SQLite file through node:sqlite, which is built into Node, so the installed tool
// has no native code to compile or download. WAL, so readers never wait for the writer; busy_timeout, so two
// processes sharing the file wait for each other's short write transactions instead of failing.

import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Database, Dialect, Queryable, SqlValue } from './database.js';

const sqliteDialect: Dialect = {
  name: 'sqlite',
  autoId: 'INTEGER PRIMARY KEY',
  // The rows are the primary key's b-tree: a range of hours is read in one sweep, with no lookups.
  clustered: ' WITHOUT ROWID',
  // BEGIN IMMEDIATE already holds the one write lock a SQLite file has.
  forUpdate: '',
};

/** What the history needs of a synchronous SQLite binding (the history bench fits better-sqlite3 to it too). */
export interface SqliteConnection {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  readonly isTransaction: boolean;
  close(): void;
}

export interface SqliteStatement {
  /** The rows; none for a statement that returns nothing (it still runs). */
  all(...params: SqlValue[]): unknown[];
  run(...params: SqlValue[]): { changes: number | bigint };
}

const BUSY_TIMEOUT_MS = 5000;
/** Statements with IN lists vary in length; past this many cached ones the cache starts over. */
const MAX_CACHED_STATEMENTS = 500;

class SqliteDatabase implements Database {
  readonly dialect = sqliteDialect;
  private readonly statements = new Map<string, SqliteStatement>();
  /** The binding is synchronous, but callers are not: this queue keeps one transaction at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly queryable: Queryable = {
    all: async <T extends object>(sql: string, params: readonly SqlValue[] = []) => this.prepare(sql).all(...params) as T[],
    run: async (sql: string, params: readonly SqlValue[] = []) => Number(this.prepare(sql).run(...params).changes),
  };

  constructor(private readonly db: SqliteConnection) {}

  write<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN IMMEDIATE', fn);
  }

  read<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN', fn);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.db.close();
  }

  private transaction<T>(begin: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    const result = this.queue.catch(() => undefined).then(async () => {
      this.db.exec(begin);
      try {
        const value = await fn(this.queryable);
        this.db.exec('COMMIT');
        return value;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = result;
    return result;
  }

  private prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Makes a history database of an open SQLite connection (closed with it), setting what the history relies on. */
export function sqliteDatabaseOn(db: SqliteConnection): Database {
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('PRAGMA journal_mode = WAL');
    // With WAL, NORMAL loses nothing when the process dies (kill -9); only a power cut may lose the last commits.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    return new SqliteDatabase(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/** In Node from 22.16 on, in @types/node only from 22.19 on. */
type ArrayStatement = StatementSync & { setReturnArrays(enabled: boolean): void };

/**
 * node:sqlite, its rows read as arrays and made objects here: it builds row objects itself about 1.4 x slower
 * than better-sqlite3 does, arrays as fast (bench/history.ts compares the two).
 */
function nodeSqliteConnection(path: string): SqliteConnection {
  const db = new DatabaseSync(path);
  return {
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      const statement = db.prepare(sql) as ArrayStatement;
      statement.setReturnArrays(true);
      const names = statement.columns().map((column) => column.name);
      const objectOf = (values: unknown[]) => {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
        return row;
      };
      return {
        all: (...params) => (statement.all(...params) as unknown as unknown[][]).map(objectOf),
        run: (...params) => statement.run(...params),
      };
    },
    get isTransaction() { return db.isTransaction; },
    close: () => db.close(),
  };
}

/** Opens (creating when missing) a SQLite history file. */
export function openSqliteDatabase(path: string): Database {
  return sqliteDatabaseOn(nodeSqliteConnection(path));
}
