// What a check reads of its own past (ctx.earlierResults), answered from the history store.

import type { EarlierResults } from '../check/context.js';
import type { HistoryStore } from './store.js';

/** Enough for any trend a check judges; the newest are kept. */
const MAX_EARLIER_RESULTS = 200;

export function earlierResultsFrom(store: Pick<HistoryStore, 'earlierResults'>): EarlierResults {
  return (checkId, sinceMs) => store.earlierResults(checkId, sinceMs, MAX_EARLIER_RESULTS);
}
