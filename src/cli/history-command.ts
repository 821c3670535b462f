// `tc-canary history [PATTERN] [--since 7d] [--json]`: what the recorded results say per check, counted by
// the rules in docs/service.md (up = passed or flaky, down = failed or error, skips count neither way).

import { Command } from 'commander';
import { formatDuration } from '../check/duration.js';
import { openHistory } from '../history/open.js';
import { emptySummary } from '../history/store.js';
import { noHistoryYet, readHistorySettings, windowOf } from './history-settings.js';
import { renderHistoryTable } from './history-table.js';
import { withUsableHistory } from './history-unusable.js';
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
      const windowMs = windowOf(options.since);
      const { spec, missingFile } = await readHistorySettings(options.config);
      // Opening a SQLite history creates it: reading none must not leave an empty file behind. A script asking for
      // JSON still gets the (empty) summary it parses.
      const now = Date.now();
      if (missingFile !== undefined) {
        noHistoryYet(missingFile);
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
