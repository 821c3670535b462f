// What a check reads of its own past (ctx.earlierResults), answered from the history store: a check id is a
// pattern that matches only itself (ids cannot hold `*`).

import type { EarlierResults } from '../check/context.js';
import type { HistoryStore } from './store.js';

/** Enough for any trend a check judges; the newest are kept. */
const MAX_EARLIER_RESULTS = 200;

export function earlierResultsFrom(store: Pick<HistoryStore, 'results'>): EarlierResults {
  return async (checkId, sinceMs) => {
    const newestFirst = await store.results({ since: sinceMs, checkPattern: checkId, limit: MAX_EARLIER_RESULTS });
    return newestFirst.reverse().map(({ startedAt, outcome, metrics }) => ({ startedAt, outcome, metrics }));
  };
}
