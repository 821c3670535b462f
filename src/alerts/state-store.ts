// Alert state in the history database (SQLite or PostgreSQL, through the history's Database), so that a
// restart sends no duplicate and replicas sharing PostgreSQL send each message once:
// - a check's state row is read and written in one transaction, locked (FOR UPDATE; SQLite's one writer);
// - the message a move calls for is claimed in that same transaction by inserting its unique
//   (check, incident, transition) row with ON CONFLICT DO NOTHING: only the transaction that inserted it sends.

import type { Database, Queryable } from '../history/database.js';
import { initialState, type AlertState } from './transition.js';

const TABLES = [
  `CREATE TABLE IF NOT EXISTS alert_state (
    check_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    consecutive_successes INTEGER NOT NULL,
    since_ms BIGINT,
    incident INTEGER NOT NULL,
    reminders INTEGER NOT NULL,
    last_sent_ms BIGINT,
    last_result_ms BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS alert_messages (
    check_id TEXT NOT NULL,
    incident INTEGER NOT NULL,
    transition TEXT NOT NULL,
    claimed_ms BIGINT NOT NULL,
    message TEXT NOT NULL,
    delivered INTEGER,
    failed INTEGER,
    finished_ms BIGINT,
    PRIMARY KEY (check_id, incident, transition)
  )`,
];

interface StateRow {
  check_id: string;
  status: string;
  consecutive_failures: number;
  consecutive_successes: number;
  since_ms: number | null;
  incident: number;
  reminders: number;
  last_sent_ms: number | null;
  last_result_ms: number;
}

const STATE_COLUMNS = 'check_id, status, consecutive_failures, consecutive_successes, since_ms, incident, reminders, last_sent_ms, last_result_ms';

function toState(row: StateRow): AlertState {
  return {
    checkId: row.check_id,
    status: row.status === 'firing' ? 'firing' : 'ok',
    consecutiveFailures: Number(row.consecutive_failures),
    consecutiveSuccesses: Number(row.consecutive_successes),
    sinceMs: row.since_ms === null ? null : Number(row.since_ms),
    incident: Number(row.incident),
    reminders: Number(row.reminders),
    lastSentMs: row.last_sent_ms === null ? null : Number(row.last_sent_ms),
    lastResultMs: Number(row.last_result_ms),
  };
}

function stateValues(state: AlertState): Array<string | number | null> {
  return [state.status, state.consecutiveFailures, state.consecutiveSuccesses, state.sinceMs, state.incident, state.reminders, state.lastSentMs, state.lastResultMs];
}

/** What a decision asks the store to keep, and the message it wants claimed. */
export interface Update<T> {
  state: AlertState;
  claim?: { incident: number; transition: string; message: T };
}

export interface Claimed<T> {
  incident: number;
  transition: string;
  message: T;
}

export interface DeliveryOutcome {
  delivered: number;
  failed: number;
}

export class AlertStateStore {
  private constructor(private readonly db: Database) {}

  /** Creates the alert tables when missing (idempotent; processes starting together take turns). */
  static async open(db: Database): Promise<AlertStateStore> {
    await db.write(async (q) => {
      if (db.dialect.migrationLock) await q.all(db.dialect.migrationLock);
      for (const statement of TABLES) await q.run(statement);
    });
    return new AlertStateStore(db);
  }

  /**
   * Reads a check's state under lock, lets `decide` move it, stores the move and claims its message.
   * Returns the message when this call claimed it (and so must send it), else undefined.
   */
  async update<T>(checkId: string, decide: (state: AlertState) => Update<T> | undefined, now: number): Promise<Claimed<T> | undefined> {
    return this.db.write(async (q) => {
      const state = await this.lockedState(q, checkId);
      const update = decide(state);
      if (!update) return undefined;
      await q.run(
        'UPDATE alert_state SET status = ?, consecutive_failures = ?, consecutive_successes = ?, since_ms = ?, incident = ?, reminders = ?, last_sent_ms = ?, last_result_ms = ? WHERE check_id = ?',
        [...stateValues(update.state), checkId],
      );
      if (!update.claim) return undefined;
      const { incident, transition, message } = update.claim;
      const inserted = await q.run(
        'INSERT INTO alert_messages (check_id, incident, transition, claimed_ms, message) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [checkId, incident, transition, now, JSON.stringify(message)],
      );
      return inserted === 1 ? { incident, transition, message } : undefined;
    });
  }

  async recordDelivery(checkId: string, claimed: { incident: number; transition: string }, outcome: DeliveryOutcome, now: number): Promise<void> {
    await this.db.write((q) => q.run(
      'UPDATE alert_messages SET delivered = ?, failed = ?, finished_ms = ? WHERE check_id = ? AND incident = ? AND transition = ?',
      [outcome.delivered, outcome.failed, now, checkId, claimed.incident, claimed.transition],
    ));
  }

  async state(checkId: string): Promise<AlertState | undefined> {
    const rows = await this.db.read((q) => q.all<StateRow>(`SELECT ${STATE_COLUMNS} FROM alert_state WHERE check_id = ?`, [checkId]));
    return rows[0] && toState(rows[0]);
  }

  async states(): Promise<AlertState[]> {
    const rows = await this.db.read((q) => q.all<StateRow>(`SELECT ${STATE_COLUMNS} FROM alert_state ORDER BY check_id`));
    return rows.map(toState);
  }

  /** Messages claimed for a check, oldest first: what was sent, and whether it reached every destination. */
  async messages<T>(checkId: string): Promise<Array<Claimed<T> & { claimedMs: number } & Partial<DeliveryOutcome>>> {
    const rows = await this.db.read((q) => q.all<{ incident: number; transition: string; claimed_ms: number; message: string; delivered: number | null; failed: number | null }>(
      'SELECT incident, transition, claimed_ms, message, delivered, failed FROM alert_messages WHERE check_id = ? ORDER BY claimed_ms, incident, transition', [checkId]));
    return rows.map((row) => ({
      incident: Number(row.incident),
      transition: row.transition,
      claimedMs: Number(row.claimed_ms),
      message: JSON.parse(row.message) as T,
      ...(row.delivered === null ? {} : { delivered: Number(row.delivered), failed: Number(row.failed) }),
    }));
  }

  private async lockedState(q: Queryable, checkId: string): Promise<AlertState> {
    // The row exists before it is locked, so two replicas seeing a check's first result queue on the same row.
    const fresh = initialState(checkId);
    await q.run(`INSERT INTO alert_state (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [checkId, ...stateValues(fresh)]);
    const [row] = await q.all<StateRow>(`SELECT ${STATE_COLUMNS} FROM alert_state WHERE check_id = ?${this.db.dialect.forUpdate}`, [checkId]);
    return toState(row!);
  }
}
