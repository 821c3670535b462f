// The embedded history: one SQLite file (WAL, so readers never wait for the writer; busy_timeout, so two
// processes sharing the file wait for each other's short write transactions instead of failing).

import BetterSqlite3 from 'better-sqlite3';
import type { Database, Dialect, Queryable, SqlValue } from './database.js';

const sqliteDialect: Dialect = {
  name: 'sqlite',
  autoId: 'INTEGER PRIMARY KEY',
  // The rows are the primary key's b-tree: a range of hours is read in one sweep, with no lookups.
  clustered: ' WITHOUT ROWID',
  // BEGIN IMMEDIATE already holds the one write lock a SQLite file has.
  forUpdate: '',
};

const BUSY_TIMEOUT_MS = 5000;
/** Statements with IN lists vary in length; past this many cached ones the cache starts over. */
const MAX_CACHED_STATEMENTS = 500;

class SqliteDatabase implements Database {
  readonly dialect = sqliteDialect;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** better-sqlite3 is synchronous, but callers are not: this queue keeps one transaction at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly queryable: Queryable = {
    all: async <T extends object>(sql: string, params: readonly SqlValue[] = []) => {
      const statement = this.prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    run: async (sql: string, params: readonly SqlValue[] = []) => this.prepare(sql).run(...params).changes,
  };

  constructor(private readonly db: BetterSqlite3.Database) {}

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
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = result;
    return result;
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Opens (creating when missing) a SQLite history file. */
export function openSqliteDatabase(path: string): Database {
  const db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL loses nothing when the process dies (kill -9); only a power cut may lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return new SqliteDatabase(db);
  } catch (error) {
    db.close();
    throw error;
  }
}
