// `run --compare BASELINE`: after the passes, the comparison of the version just run (`latest`) against the
// baseline for the checks that ran, on the console; the exit code becomes 1 on a regression unless
// --no-regressions-fail (or compare.failOnRegression: false) says the comparison only informs.

import { parseDuration } from '../check/duration.js';
import { LATEST } from '../compare/comparison.js';
import { defaultCompareConfig } from '../config/compare.js';
import { openHistory } from '../history/open.js';
import { historySpec } from '../history/spec.js';
import { compareOrExplain, DEFAULT_COMPARE_WINDOW, reportComparison } from './compare-command.js';
import { EXIT_FAILED } from './exit-codes.js';
import { withUsableHistory } from './history-unusable.js';
import type { CommandSetup } from './setup.js';

export interface RunComparison {
  /** `previous` or a version. */
  baseline: string;
  checkIds: readonly string[];
  /** --regressions-fail / --no-regressions-fail; undefined: the config's compare.failOnRegression. */
  regressionsFail: boolean | undefined;
  stream: NodeJS.WritableStream;
  /** The exit code the checks alone give. */
  checksExit: number;
}

export async function compareAfterRun(setup: CommandSetup, request: RunComparison): Promise<number> {
  const config = setup.config.compare ?? defaultCompareConfig();
  const store = await withUsableHistory(() => openHistory(historySpec(setup)));
  let comparison;
  try {
    comparison = await compareOrExplain(store, {
      baseline: request.baseline, current: LATEST, since: Date.now() - parseDuration(DEFAULT_COMPARE_WINDOW)!,
      checkIds: request.checkIds, settings: config.settings,
    });
  } finally {
    await store.close();
  }
  await reportComparison(comparison, { json: false, stream: request.stream });
  const failOnRegression = request.regressionsFail ?? config.failOnRegression;
  return failOnRegression && comparison.verdict === 'regressed' ? EXIT_FAILED : request.checksExit;
}
