// The latest result of each check, as the scheduled runs of checks with dependencies read it: one read of the
// history serves every firing for a few seconds. Reading all latest results takes ~90 ms with 10,000 checks
// (SQLite), so one read per firing would saturate the process long before 10,000 checks a minute. A few
// seconds of staleness changes nothing: a dependency scheduled in the same slot runs concurrently anyway.

import type { CheckResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import type { LatestResult } from '../history/store.js';

export type LatestById = ReadonlyMap<string, CheckResult>;

export function sharedLatest(read: () => Promise<LatestResult[]>, ttlMs: number, clock: Clock = systemClock): () => Promise<LatestById> {
  let shared: { readAt: number; byId: Promise<LatestById> } | undefined;
  return () => {
    const now = clock.now();
    if (!shared || now - shared.readAt >= ttlMs) {
      const byId = read().then((latest) => new Map(latest.map((entry) => [entry.checkId, entry.result])));
      const current = { readAt: now, byId };
      // A failed read is not kept: the next firing reads again.
      byId.catch(() => {
        if (shared === current) shared = undefined;
      });
      shared = current;
    }
    return shared.byId;
  };
}
