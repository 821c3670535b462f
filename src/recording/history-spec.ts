// Which history a command records into: config `history` (its ${VAR} references resolved now, as secrets),
// else TC_CANARY_HISTORY, else a SQLite file in the working directory. A password in the spec is
// registered with the redactor before the spec can reach any message.

import { resolvePlaceholders } from '../config/placeholders.js';
import type { Config } from '../config/types.js';
import { DEFAULT_HISTORY_SPEC } from '../history/open.js';
import { passwordInUrl, type Redactor } from '../redact.js';

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
