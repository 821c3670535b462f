// What the commands that only read the history (`history`, `compare`) take from the config: its settings
// alone, without loading the check catalogue, so that they start fast.

import { existsSync } from 'node:fs';
import { parseDuration } from '../check/duration.js';
import { ConfigError } from '../config/diagnostics.js';
import { configFilePath, readConfig } from '../config/read.js';
import type { Config } from '../config/types.js';
import { historySpec, sqliteFileOf } from '../history/spec.js';
import { redactorFromEnv } from './env-redactor.js';

export interface HistorySettings {
  config: Config;
  /** The history to read (config history, else $TC_CANARY_HISTORY, else sqlite:tc-canary.db). */
  spec: string;
  /** The SQLite file the spec names when it does not exist (opening it would create an empty one). */
  missingFile?: string;
}

export async function readHistorySettings(configOption: string | undefined): Promise<HistorySettings> {
  const env = process.env;
  const { config, diagnostics, source } = await readConfig(configFilePath(configOption, env));
  if (!diagnostics.empty) throw new ConfigError(source, diagnostics.list);
  const spec = historySpec({ config, env, redactor: redactorFromEnv(env) });
  const file = sqliteFileOf(spec);
  return { config, spec, ...(file !== undefined && !existsSync(file) && { missingFile: file }) };
}

/** Said on standard error when there is no history file to read yet. */
export function noHistoryYet(file: string): void {
  process.stderr.write(`no history at ${file} yet: \`tc-canary run\` and \`tc-canary serve\` record into it\n`);
}

/** --since's milliseconds, or a usage error naming the option. */
export function windowOf(since: string): number {
  const windowMs = parseDuration(since);
  if (windowMs === undefined) throw new ConfigError('arguments', [{ path: '--since', message: `expected a duration like 7d, got ${JSON.stringify(since)}` }]);
  return windowMs;
}
