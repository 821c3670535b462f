// What waits in a task queue: how many tasks are pending (and claimed), and how long the oldest has waited.

import type { QueueClient } from 'taskcluster-client';
import { unlessNotFound } from '../taskcluster/api-errors.js';

export interface Backlog {
  pending: number;
  /** Absent on deployments that only have the older pendingTasks call. */
  claimed?: number;
  /** The call that answered. */
  source: 'taskQueueCounts' | 'pendingTasks';
}

/** queue.taskQueueCounts, or pendingTasks on deployments that predate it (404). */
export async function readBacklog(queue: QueueClient, taskQueueId: string): Promise<Backlog> {
  const counts = await unlessNotFound<{ pendingTasks: number; claimedTasks: number }>(queue.taskQueueCounts(taskQueueId));
  if (counts) return { pending: counts.pendingTasks, claimed: counts.claimedTasks, source: 'taskQueueCounts' };
  const { pendingTasks } = (await queue.pendingTasks(taskQueueId)) as { pendingTasks: number };
  return { pending: pendingTasks, source: 'pendingTasks' };
}

/** When the oldest pending task entered the queue (undefined: none waits), or why that cannot be known here. */
export type OldestPending = { insertedMs: number | undefined } | { unavailable: string };

/**
 * From queue.listPendingTasks, which lists in insertion order. Deployments without that call (404) and callers
 * without its scope cannot measure it; the backlog check still counts.
 */
export async function readOldestPending(queue: QueueClient, taskQueueId: string): Promise<OldestPending> {
  let page: { tasks: { inserted: string }[] } | undefined;
  try {
    page = await unlessNotFound(queue.listPendingTasks(taskQueueId, { limit: 1 }));
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'InsufficientScopes') throw error;
    return { unavailable: `listing pending tasks needs queue:pending-list:${taskQueueId}` };
  }
  if (!page) return { unavailable: 'this deployment has no queue.listPendingTasks' };
  const first = page.tasks[0];
  return { insertedMs: first ? Date.parse(first.inserted) : undefined };
}
