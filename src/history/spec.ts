// The history spec: which store a command records into, and the one place that reads what kind it names.
// Config `history` (its ${VAR} references resolved now, as secrets), else TC_CANARY_HISTORY, else a SQLite file
// in the working directory. A password in the spec is registered with the redactor before the spec can reach
// any message.

import { resolvePlaceholders } from '../config/placeholders.js';
import type { Config } from '../config/types.js';
import { passwordInUrl, type Redactor } from '../redact.js';

/** The embedded default: a SQLite file in the working directory. */
export const DEFAULT_SQLITE_FILE = 'tc-canary.db';
export const DEFAULT_HISTORY_SPEC = `sqlite:${DEFAULT_SQLITE_FILE}`;

export type ParsedHistorySpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** What a spec names: `sqlite:PATH`, or a PostgreSQL URL (`postgres://`, `postgresql://`); throws saying what is expected. */
export function parseHistorySpec(spec: string): ParsedHistorySpec {
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (!path) throw new Error('sqlite: needs a file path, e.g. sqlite:tc-canary.db');
    return { kind: 'sqlite', path };
  }
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) return { kind: 'postgres', url: spec };
  throw new Error('expected sqlite:PATH, postgres://... or postgresql://...');
}

/** The file of a SQLite spec; undefined for any other (a bad spec is said when the history is opened). */
export function sqliteFileOf(spec: string): string | undefined {
  try {
    const parsed = parseHistorySpec(spec);
    return parsed.kind === 'sqlite' ? parsed.path : undefined;
  } catch {
    return undefined;
  }
}

export interface HistorySpecSource {
  config: Pick<Config, 'history' | 'file'>;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
}

export function historySpec({ config, env, redactor }: HistorySpecSource): string {
  const spec = config.history !== undefined
    ? resolvePlaceholders(config.history, env, { path: 'history', source: config.file ?? 'config', redactor, secret: true })
    : env.TC_CANARY_HISTORY || DEFAULT_HISTORY_SPEC;
  redactor.add(passwordInUrl(spec));
  return spec;
}
