// `tc-canary history [PATTERN] [--since 7d] [--json]`: what the recorded results say per check, counted by
// the rules in docs/service.md (up = passed or flaky, down = failed or error, skips count neither way).

import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { formatDuration, parseDuration } from '../check/duration.js';
import { ConfigError } from '../config/diagnostics.js';
import { configFilePath, readConfig } from '../config/read.js';
import { openHistory } from '../history/open.js';
import { emptySummary } from '../history/store.js';
import { historySpec, sqliteFileOf } from '../history/spec.js';
import { renderHistoryTable } from './history-table.js';
import { withUsableHistory } from './history-unusable.js';
import { redactorFromEnv } from './env-redactor.js';
import { COMMANDS } from './commands.js';

interface HistoryOptions {
  config?: string;
  since: string;
  json?: boolean;
}

export function historyCommand(): Command {
  return new Command('history')
    .description(COMMANDS.history.description)
    .argument('[pattern]', 'only checks whose id matches; * matches anything')
    .option('--since <duration>', 'how far back to look, e.g. 24h, 7d, 30d', '7d')
    .option('--json', 'print the summary as JSON')
    .option('--config <file>', 'config file (its history setting; else $TC_CANARY_HISTORY, else sqlite:tc-canary.db)')
    .action(async (pattern: string | undefined, options: HistoryOptions) => {
      const windowMs = parseDuration(options.since);
      if (windowMs === undefined) throw new ConfigError('arguments', [{ path: '--since', message: `expected a duration like 7d, got ${JSON.stringify(options.since)}` }]);
      // The settings alone, without loading the check catalogue: the command reads the history only, and starts fast.
      const env = process.env;
      const { config, diagnostics, source } = await readConfig(configFilePath(options.config, env));
      if (!diagnostics.empty) throw new ConfigError(source, diagnostics.list);
      const spec = historySpec({ config, env, redactor: redactorFromEnv(env) });
      // Opening a SQLite history creates it: reading none must not leave an empty file behind. A script asking for
      // JSON still gets the (empty) summary it parses.
      const now = Date.now();
      const sqliteFile = sqliteFileOf(spec);
      if (sqliteFile !== undefined && !existsSync(sqliteFile)) {
        process.stderr.write(`no history at ${sqliteFile} yet: \`tc-canary run\` and \`tc-canary serve\` record into it\n`);
        if (options.json) process.stdout.write(`${JSON.stringify(emptySummary(now - windowMs, now), null, 2)}\n`);
        return;
      }
      const store = await withUsableHistory(() => openHistory(spec));
      try {
        const summary = await store.summarize({ ...(pattern !== undefined && { pattern }), since: now - windowMs });
        process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderHistoryTable(summary, `last ${formatDuration(windowMs)}`));
      } finally {
        await store.close();
      }
    });
}
