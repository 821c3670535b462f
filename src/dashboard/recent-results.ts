// The last results of each check, for the overview's strips. A strip only changes when its check records a
// new result, so each is reloaded only then: a refresh of the overview costs one query per check that ran
// since the last refresh, not one per check.

import type { Outcome, ErrorKind } from '../check/result.js';
import type { HistoryStore, LatestResult } from '../history/store.js';
import type { MaintenanceNote } from './outcome.js';

export const STRIP_LENGTH = 90;

/** Just what a strip cell needs. */
export interface RecentResult {
  at: string;
  outcome: Outcome;
  error?: { kind: ErrorKind };
  /** The maintenance window the result recorded, if it ran inside one. */
  maintenance?: MaintenanceNote;
}

export class RecentResults {
  private readonly cache = new Map<string, { newest: string; results: RecentResult[] }>();

  constructor(private readonly store: Pick<HistoryStore, 'results'>, private readonly length = STRIP_LENGTH) {}

  /** Oldest first, ending with the latest result. */
  async of(latest: LatestResult): Promise<RecentResult[]> {
    const newest = `${latest.result.runId} ${latest.result.startedAt}`;
    const cached = this.cache.get(latest.checkId);
    if (cached?.newest === newest) return cached.results;
    const results = (await this.store.results({ checkPattern: latest.checkId, since: 0, limit: this.length }))
      .reverse()
      .map(({ startedAt, outcome, error, maintenance }): RecentResult => ({
        at: startedAt,
        outcome,
        ...(error && { error: { kind: error.kind } }),
        ...(maintenance && { maintenance: { reason: maintenance.reason } }),
      }));
    this.cache.set(latest.checkId, { newest, results });
    return results;
  }
}
