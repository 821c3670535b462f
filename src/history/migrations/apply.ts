// Brings a database's schema up to date on open. Each step runs in its own transaction together with its
// schema_version row, after re-reading the version under a lock, so a crash or two processes starting at
// once never apply a step twice or half.

import type { Database } from '../database.js';
import { MIGRATIONS, type MigrationStep } from './steps.js';

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_ms BIGINT NOT NULL
)`;

/** Applies the missing steps; returns the versions it applied. */
export async function applyMigrations(db: Database, now: number, steps: readonly MigrationStep[] = MIGRATIONS): Promise<number[]> {
  const known = steps.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (const step of steps) {
    const done = await db.write(async (q) => {
      if (db.dialect.migrationLock) await q.all(db.dialect.migrationLock);
      await q.run(VERSION_TABLE);
      const [row] = await q.all<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
      const current = row?.version ?? 0;
      if (current > known) {
        throw new Error(`the history schema is at version ${current}, newer than this tc-canary knows (${known}): upgrade tc-canary`);
      }
      if (current >= step.version) return false;
      for (const statement of step.statements(db.dialect)) await q.run(statement);
      await q.run('INSERT INTO schema_version (version, name, applied_ms) VALUES (?, ?, ?)', [step.version, step.name, now]);
      return true;
    });
    if (done) applied.push(step.version);
  }
  return applied;
}
