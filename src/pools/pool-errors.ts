// Errors worker-manager recorded for a pool (failed provisioning, workers that never registered, ...).

import type { WorkerManagerClient } from 'taskcluster-client';
import { pages } from '../taskcluster/paginate.js';

export interface PoolError {
  errorId: string;
  reported: string;
  kind: string;
  title: string;
}

/** The pool's errors reported at or after sinceMs; the listing is newest first, so paging stops there. */
export async function errorsSince(workerManager: WorkerManagerClient, workerPoolId: string, sinceMs: number): Promise<PoolError[]> {
  const recent: PoolError[] = [];
  for await (const page of pages((query) => workerManager.listWorkerPoolErrors(workerPoolId, query) as Promise<{ workerPoolErrors: PoolError[]; continuationToken?: string }>)) {
    for (const error of page.workerPoolErrors) {
      if (Date.parse(error.reported) < sinceMs) return recent;
      recent.push(error);
    }
  }
  return recent;
}

/** `"title" x7, "other" x3`: the most frequent titles first, at most `count` of them. */
export function mostFrequentTitles(errors: readonly PoolError[], count = 3): string {
  const tally = new Map<string, number>();
  for (const { title } of errors) tally.set(title, (tally.get(title) ?? 0) + 1);
  return [...tally]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, count)
    .map(([title, n]) => `${JSON.stringify(title)} x${n}`)
    .join(', ');
}
