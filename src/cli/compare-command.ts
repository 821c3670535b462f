// `tc-canary compare [PATTERN] [--baseline VERSION|previous] [--current VERSION|latest] [--since 30d] [--json]
// [--junit FILE]`: did the current version get slower or flakier than the baseline? Exit 1 when a metric or an
// outcome rate regressed, 0 otherwise (no data included), 2 for bad arguments or a version the history lacks.

import { Command } from 'commander';
import { compareVersions, LATEST, PREVIOUS, UnknownVersionError, type Comparison, type CompareRequest } from '../compare/comparison.js';
import { renderComparisonTable } from '../compare/console-table.js';
import { defaultCompareConfig } from '../config/compare.js';
import { ConfigError } from '../config/diagnostics.js';
import type { HistoryStore } from '../history/store.js';
import { openHistory } from '../history/open.js';
import { EXIT_FAILED, EXIT_PASSED } from './exit-codes.js';
import { noHistoryYet, readHistorySettings, windowOf } from './history-settings.js';
import { withUsableHistory } from './history-unusable.js';
import { COMMANDS } from './commands.js';
import { writeOutput } from './output.js';

interface CompareOptions {
  config?: string;
  baseline: string;
  current: string;
  since: string;
  json?: boolean;
  junit?: string;
}

export const DEFAULT_COMPARE_WINDOW = '30d';

export function compareCommand(): Command {
  return new Command('compare')
    .description(COMMANDS.compare.description)
    .argument('[pattern]', 'only checks whose id matches; * matches anything')
    .option('--baseline <version>', 'the version compared against, or previous: the newest earlier version with enough runs', PREVIOUS)
    .option('--current <version>', 'the version judged, or latest: that of the newest run', LATEST)
    .option('--since <duration>', 'how far back to look, e.g. 7d, 30d', DEFAULT_COMPARE_WINDOW)
    .option('--json', 'print the comparison as JSON ({"comparison": ...}, docs/comparison.schema.json)')
    .option('--junit <file>', 'write the comparison as JUnit XML: a regressed metric is a failed test case compare.<check>.<metric>')
    .option('--config <file>', 'config file (its history and compare settings; else $TC_CANARY_HISTORY, else sqlite:tc-canary.db)')
    .action(async (pattern: string | undefined, options: CompareOptions) => {
      const windowMs = windowOf(options.since);
      const { config, spec, missingFile } = await readHistorySettings(options.config);
      if (missingFile !== undefined) {
        noHistoryYet(missingFile);
        return;
      }
      const store = await withUsableHistory(() => openHistory(spec));
      try {
        const comparison = await compareOrExplain(store, {
          baseline: options.baseline, current: options.current, since: Date.now() - windowMs,
          settings: (config.compare ?? defaultCompareConfig()).settings, ...(pattern !== undefined && { pattern }),
        });
        await reportComparison(comparison, { json: options.json === true, ...(options.junit !== undefined && { junit: options.junit }) });
        process.exitCode = comparison.verdict === 'regressed' ? EXIT_FAILED : EXIT_PASSED;
      } finally {
        await store.close();
      }
    });
}

/** The comparison, or a usage error (exit 2) saying which version the history lacks. */
export async function compareOrExplain(store: HistoryStore, request: CompareRequest): Promise<Comparison> {
  try {
    return await compareVersions(store, request);
  } catch (error) {
    if (error instanceof UnknownVersionError) throw new ConfigError('arguments', [{ path: error.option, message: error.reason }]);
    throw error;
  }
}

/** The table on standard output (standard error when JSON goes there), JSON on standard output, JUnit to its file. */
export async function reportComparison(comparison: Comparison, output: { json: boolean; junit?: string; stream?: NodeJS.WritableStream }): Promise<void> {
  if (output.json) process.stdout.write(`${JSON.stringify({ comparison }, null, 2)}\n`);
  else (output.stream ?? process.stdout).write(renderComparisonTable(comparison));
  // junit-report-builder is loaded only for a JUnit report.
  if (output.junit !== undefined) await writeOutput(output.junit, (await import('../compare/junit.js')).renderComparisonJunit(comparison));
}
