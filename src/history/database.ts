// The little a history store needs from a SQL database, so one store works over SQLite and PostgreSQL.
// Statements are written once in the SQL both understand, with `?` placeholders; the two differ only in
// what a Dialect names.

export type SqlValue = string | number | null;

export interface Queryable {
  /** The rows a query returns; none for a statement that returns nothing. */
  all<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns how many rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** The column definition of an auto-numbered primary key. */
  autoId: string;
  /** Appended to CREATE TABLE for small-keyed tables read by key ranges: stored in key order where possible. */
  clustered: string;
  /** Appended to a SELECT whose rows must stay locked until the transaction ends. */
  forUpdate: string;
  /** Run first in a migration's transaction so that processes starting together migrate one at a time. */
  migrationLock?: string;
}

export interface Database {
  readonly dialect: Dialect;
  /** Everything fn writes is stored, or nothing is. Writes of one database never interleave. */
  write<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** fn reads one consistent snapshot. */
  read<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `(?, ?, ?)` for one row of n values. */
export function placeholders(n: number): string {
  return `(${Array.from({ length: n }, () => '?').join(', ')})`;
}

/** Stays under SQLite's limit of bound parameters per statement (32,766). */
const MAX_PARAMS = 30_000;

/**
 * Inserts rows in as few statements as the parameter limit allows. `suffix` follows the VALUES (ON CONFLICT,
 * RETURNING); the rows a RETURNING hands back are returned.
 */
export async function insertRows<T extends object = never>(
  q: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  suffix = '',
): Promise<T[]> {
  const returned: T[] = [];
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.map(() => placeholders(columns.length)).join(', ');
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${suffix}`;
    returned.push(...(await q.all<T>(sql, chunk.flat())));
  }
  return returned;
}

/** ` AND column IN (?, ...)` and its values, or nothing when every row qualifies (values undefined). */
export function inFilter(column: string, values: readonly string[] | undefined): { sql: string; params: string[] } {
  if (values === undefined) return { sql: '', params: [] };
  // An empty list matches nothing; `IN ()` is not valid SQL.
  if (values.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${column} IN ${placeholders(values.length)}`, params: [...values] };
}
