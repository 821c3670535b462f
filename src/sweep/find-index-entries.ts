// Probe index entries directly under the configured prefix, dated by the mark tc-canary puts in their data.

import type { IndexClient } from 'taskcluster-client';
import { deleteIndexEntry } from '../taskcluster/index-entry.js';
import { allPages } from '../taskcluster/paginate.js';
import { probeMarkCreatedAt } from '../taskcluster/probe-mark.js';
import { problemAt, type Findings, type Leftover } from './leftover.js';

interface ListedEntry {
  namespace: string;
  taskId: string;
  data?: unknown;
}

export async function findLeftoverIndexEntries(index: IndexClient, prefix: string, nowMs: number): Promise<Findings> {
  let entries: ListedEntry[];
  try {
    const pages = await allPages<{ tasks: ListedEntry[]; continuationToken?: string }>((query) => index.listTasks(prefix, query));
    entries = pages.flatMap((page) => page.tasks);
  } catch (error) {
    return { leftovers: [], problems: [problemAt(`index.listTasks(${prefix})`, error)] };
  }
  const leftovers = entries.flatMap((entry): Leftover[] => {
    const createdAt = probeMarkCreatedAt(entry.data);
    // Under the prefix but not marked by tc-canary: someone else's, left alone.
    if (createdAt === undefined) return [];
    return [{
      kind: 'index entry', id: entry.namespace, ageMs: nowMs - createdAt, detail: `probe task ${entry.taskId}`, action: 'remove',
      remove: () => deleteIndexEntry(index, entry.namespace),
    }];
  });
  return { leftovers, problems: [] };
}
