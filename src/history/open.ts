// Opens the history a spec names (./spec.ts reads it): a SQLite file or a PostgreSQL database.
// Opening applies the schema migrations and marks the runs of dead processes aborted.

import { systemClock, type Clock } from '../clock.js';
import { Redactor, passwordInUrl } from '../redact.js';
import type { Database } from './database.js';
import { applyMigrations } from './migrations/apply.js';
import { processAlive, thisProcess, type RunOwner } from './owner.js';
import { abortAbandonedRuns } from './runs.js';
import { parseHistorySpec } from './spec.js';
import { SqlHistoryStore } from './sql-store.js';
import { HistoryError, type HistoryStore } from './store.js';

/** Longer than any check runs between two recorded results, so a live run elsewhere is never aborted. */
const DEFAULT_STALE_AFTER_MS = 2 * 3_600_000;

export interface OpenHistoryOptions {
  clock?: Clock;
  /** An unfinished run silent for longer than this is abandoned, whichever host owns it. */
  staleAfterMs?: number;
  /** PostgreSQL only: a schema to use (created when missing) instead of `public`. */
  schema?: string;
  /** Who this process is and how to tell whether another one lives; tests stand in for other processes. */
  owner?: RunOwner;
  isAlive?: (pid: number) => boolean;
}

async function openDatabase(spec: string, options: OpenHistoryOptions): Promise<Database> {
  const parsed = parseHistorySpec(spec);
  // Each driver is loaded only when its kind of history is opened: a command pays for one of them.
  if (parsed.kind === 'sqlite') return (await import('./sqlite.js')).openSqliteDatabase(parsed.path);
  return (await import('./postgres.js')).openPostgresDatabase(parsed.url, options.schema === undefined ? {} : { schema: options.schema });
}

/** Masks the spec's password wherever it could show: the store's label and every error message. */
function redactorFor(spec: string): Redactor {
  const redactor = new Redactor();
  redactor.add(passwordInUrl(spec));
  return redactor;
}

export function openHistory(spec: string, options: OpenHistoryOptions = {}): Promise<HistoryStore> {
  return openHistoryOn(() => openDatabase(spec, options), spec, options);
}

/** A history on the database `open` gives, labelled by `spec` (the history bench compares SQLite bindings so). */
export async function openHistoryOn(open: () => Promise<Database>, spec: string, options: OpenHistoryOptions = {}): Promise<HistoryStore> {
  const redactor = redactorFor(spec);
  const redact = (text: string) => redactor.redact(text);
  const label = redact(spec);
  const clock = options.clock ?? systemClock;
  const abandonment = {
    me: options.owner ?? thisProcess,
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    isAlive: options.isAlive ?? processAlive,
  };
  let db: Database | undefined;
  try {
    db = await open();
    await applyMigrations(db, clock.now());
    await abortAbandonedRuns(db, clock.now(), abandonment);
    return new SqlHistoryStore(db, { label, redact, clock, abandonment });
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw new HistoryError(redact(`cannot open history ${label}: ${(error as Error).message}`));
  }
}
