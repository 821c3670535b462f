// The history of `tc-canary run`: recorded by default, `--no-history` to skip. A history that cannot be
// opened or written is said on standard error and changes nothing else: the reports are still written and
// the exit code is still the checks' own. With `retention` in the config, what is past it is pruned once the
// run is recorded, so a history fed only by `run` (a hook writing to PostgreSQL) does not grow without end.
// Without it, `run` prunes nothing: a history shared with a `serve` keeps that service's retention.

import type { EarlierResults } from '../check/context.js';
import type { Config } from '../config/types.js';
import type { RunReporter } from '../report/reporter.js';
import { TOOL_VERSION } from '../version.js';
import type { HistorySpecSource } from './spec.js';

export interface RunHistory {
  reporters: RunReporter[];
  /** The checks' earlier results, for verdicts across runs; undefined without a history. */
  earlierResults: EarlierResults | undefined;
  /** Waits for the writes, says what could not be recorded, and closes the store. */
  close(): Promise<void>;
}

const NO_HISTORY: RunHistory = { reporters: [], earlierResults: undefined, close: async () => undefined };

export async function openRunHistory(source: HistorySpecSource & { config: Pick<Config, 'retention'> }, enabled: boolean, say: (line: string) => void): Promise<RunHistory> {
  if (!enabled) return NO_HISTORY;
  // The store and its recorder are loaded by a run that records, not by one with --no-history.
  const [{ historySpec }, { openHistory }, { HistoryRecorder }, { earlierResultsFrom }] = await Promise.all([
    import('./spec.js'), import('./open.js'), import('./recorder.js'), import('./earlier-results.js'),
  ]);
  const spec = historySpec(source);
  let store;
  try {
    store = await openHistory(spec);
  } catch (error) {
    say(`${source.redactor.redact((error as Error).message)}: this run is not recorded (its reports are still written)`);
    return NO_HISTORY;
  }
  const recorder = new HistoryRecorder(store, { toolVersion: TOOL_VERSION, onProblem: (message) => say(source.redactor.redact(message)) });
  return {
    reporters: [recorder.reporter()],
    earlierResults: earlierResultsFrom(store),
    async close() {
      await recorder.drain();
      if (source.config.retention) await store.prune(Date.now(), source.config.retention).catch((error: Error) => say(source.redactor.redact(`could not prune the history: ${error.message}`)));
      await store.close().catch((error: Error) => say(source.redactor.redact(error.message)));
    },
  };
}
