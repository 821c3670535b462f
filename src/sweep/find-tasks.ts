// Unresolved probe tasks: pending or claimed tasks on the queues tc-canary uses, created by tc-canary with one
// of its schedulerIds. The queue lists them per task queue (listPendingTasks/listClaimedTasks, experimental
// in v74, 404 where absent). Unscheduled tasks (a chain whose parent never completed) cannot be listed;
// their deadline (10 minutes by default) resolves them.

import type { QueueClient } from 'taskcluster-client';
import { CREATED_BY } from '../taskcluster/probe-mark.js';
import { allPages } from '../taskcluster/paginate.js';
import { problemAt, type Findings } from './leftover.js';

interface ListedTask {
  taskId: string;
  task: { schedulerId?: string; created?: string; tags?: Record<string, string> };
}

export async function findLeftoverTasks(queue: QueueClient, taskQueueIds: string[], schedulerIds: Set<string>, nowMs: number): Promise<Findings> {
  const findings: Findings = { leftovers: [], problems: [] };
  for (const taskQueueId of taskQueueIds) {
    for (const [state, list] of [['pending', 'listPendingTasks'], ['claimed', 'listClaimedTasks']] as const) {
      let pages: Array<{ tasks: ListedTask[] }>;
      try {
        pages = await allPages((query) => queue[list](taskQueueId, query));
      } catch (error) {
        findings.problems.push(problemAt(`${list}(${taskQueueId})`, error));
        continue;
      }
      for (const { taskId, task } of pages.flatMap((page) => page.tasks)) {
        if (task.tags?.createdBy !== CREATED_BY || !schedulerIds.has(task.schedulerId ?? '')) continue;
        const created = Date.parse(task.created ?? '');
        findings.leftovers.push({
          kind: 'task', id: taskId, ageMs: Number.isNaN(created) ? undefined : nowMs - created,
          detail: `${state} on ${taskQueueId}`, action: 'cancel', remove: () => queue.cancelTask(taskId),
        });
      }
    }
  }
  return findings;
}
