// Index entries tc-canary causes: the index service inserts one for each completed task routed to
// `index.<namespace>`, with the task's `extra.index.data` as the entry's data. tc-canary puts its mark there so
// the entry can be told apart (and dated) later, and removes it with index.deleteTask.

import type { IndexClient } from 'taskcluster-client';
import { unlessNotFound } from './api-errors.js';
import type { ProbeMark } from './probe-mark.js';

/** The task `extra` that makes the index service store this mark as the entry's data. */
export function markedIndexExtra(mark: ProbeMark): Record<string, unknown> {
  return { index: { data: mark } };
}

/** Removes the entry at `namespace`; one that is not there (never indexed, removed already) is fine. */
export async function deleteIndexEntry(index: IndexClient, namespace: string): Promise<void> {
  await unlessNotFound(index.deleteTask(namespace));
}
