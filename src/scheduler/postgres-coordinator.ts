// Replicas of `serve` sharing one PostgreSQL run each scheduled slot once. The scheduler asks shouldRun(key)
// with key = `<check id>:<slot ISO time>`, the same on every replica; the first replica to insert that key's
// lease row runs the slot, the others are told no. The row is kept after the run: a replica whose clock or
// timer is late must still find the slot taken. Rows older than a day are pruned now and then. The keys
// asked in one tick (every check due in a slot) are claimed by one statement, and completions likewise.

import pg from 'pg';
import type { RunCoordinator } from 'node-cron';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock.js';
import { batchedPerTick } from './tick-batch.js';

const TABLE = 'tc_canary_schedule_leases';
/** Any constant shared by every tc-canary process, distinct from the history's migration lock. */
const CREATE_LOCK = 1952670562;
const KEEP_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface PostgresCoordinatorOptions {
  /** A schema to use instead of `public` (tests use one per suite); created when missing. */
  schema?: string;
  /** Names this replica in the lease rows, for whoever looks at the table. */
  owner?: string;
  clock?: Clock;
}

export class PostgresRunCoordinator implements RunCoordinator {
  private lastPruneMs = 0;
  private readonly claim = batchedPerTick((keys: string[]) => this.claimAll(keys));
  private readonly complete = batchedPerTick((keys: string[]) => this.completeAll(keys));

  private constructor(
    private readonly pool: pg.Pool,
    private readonly owner: string,
    private readonly clock: Clock,
  ) {}

  /** Connects and creates the lease table when missing (safe when replicas start together). */
  static async open(url: string, options: PostgresCoordinatorOptions = {}): Promise<PostgresRunCoordinator> {
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000, ...(schema && { options: `-c search_path=${schema}` }) });
    // A dropped idle connection must not crash the service; the next query reports it.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
          key TEXT PRIMARY KEY,
          owner TEXT NOT NULL,
          claimed_ms BIGINT NOT NULL,
          completed_ms BIGINT
        )`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresRunCoordinator(pool, options.owner ?? `${hostname()}:${process.pid}`, options.clock ?? systemClock);
  }

  shouldRun(key: string): Promise<boolean> {
    return this.claim(key);
  }

  onComplete(key: string): Promise<void> {
    return this.complete(key);
  }

  /** Reachable? For the service's heartbeat. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Whether each key's slot is ours: true for the keys this statement inserted (once, for a key asked twice). */
  private async claimAll(keys: string[]): Promise<boolean[]> {
    const now = this.clock.now();
    const inserted = await this.pool.query<{ key: string }>(
      `INSERT INTO ${TABLE} (key, owner, claimed_ms) SELECT unnest($1::text[]), $2, $3 ON CONFLICT (key) DO NOTHING RETURNING key`,
      [keys, this.owner, now],
    );
    if (now - this.lastPruneMs > PRUNE_EVERY_MS) {
      this.lastPruneMs = now;
      // Not awaited: the claims above are committed, so a slow or failed prune must not delay or fail them
      // (a failed claim answer would leave slots this replica owns run by nobody). The next hour tries again.
      void this.pool.query(`DELETE FROM ${TABLE} WHERE claimed_ms < $1`, [now - KEEP_MS]).catch(() => undefined);
    }
    const ours = new Set(inserted.rows.map((row) => row.key));
    return keys.map((key) => ours.delete(key));
  }

  private async completeAll(keys: string[]): Promise<void[]> {
    await this.pool.query(`UPDATE ${TABLE} SET completed_ms = $1 WHERE key = ANY($2::text[]) AND owner = $3`, [this.clock.now(), keys, this.owner]);
    return keys.map(() => undefined);
  }
}
