// The parameters every task-creating check shares, so hygiene is configured the same way everywhere.

import type { ScopeExpression } from 'taskcluster-lib-scopes';
import type { Leftovers } from '../check/define.js';
import { param } from '../check/params.js';
import { DEFAULT_PROBE_PRIORITY, prioritiesAtOrAbove, type TaskPriority } from './priority.js';
import type { ProbeTaskOptions } from './task.js';
import { MAX_POLL_INTERVAL_MS } from './poll.js';
import { POLL_INTERVAL_WITH_EVENTS_MS, POLL_INTERVAL_WITHOUT_EVENTS_MS } from './wait.js';

export const taskHygieneParams = {
  schedulerId: param.string('tc-canary', 'schedulerId of the tasks this check creates', /^[a-zA-Z0-9_-]{1,38}$/),
  projectId: param.string('none', 'projectId of the tasks this check creates', /^[a-zA-Z0-9._/-]{1,500}$/),
  deadline: param.duration('10m', 'Task deadline, after creation'),
  expires: param.duration('1d', 'Task expiry, after creation'),
};

export interface HygieneValues {
  schedulerId: string;
  projectId: string;
  deadline: number;
  expires: number;
}

/** What the hygiene params set on each task a check creates, in createProbeTask's terms. */
export function taskHygiene(params: HygieneValues): Pick<ProbeTaskOptions, 'schedulerId' | 'projectId' | 'deadlineMs' | 'expiresMs'> {
  return { schedulerId: params.schedulerId, projectId: params.projectId, deadlineMs: params.deadline, expiresMs: params.expires };
}

/** Where `sweep` finds the tasks a check creates with these params on these queues. */
export function probeTaskLeftovers(taskQueueIds: string[], params: { schedulerId: string }): Leftovers {
  return { tasks: { taskQueueIds, schedulerId: params.schedulerId } };
}

/** The claim SLA of the checks whose tasks built-in-workers claim (a pool's comes from its entry in `pools`). */
export const claimSlaParam = param.duration('60s', 'Longest acceptable wait for a built-in worker to claim the task; past it the check fails at once');

/** Longest explicit pace of the status reads behind task events. */
const MAX_TASK_POLL_INTERVAL_MS = 60_000;

/**
 * How often checks that wait on the deployment ask again. `auto`: queue.status every 10s while Pulse task
 * events wake the wait, every 1s without; other reads (index.findTask, the purge list, a hook's status) back
 * off to 1s. A duration sets the pace of both (the other reads never slower than 1s).
 */
export const pollIntervalParam = param.durationOrAuto(
  `Time between two polls while waiting: auto = queue.status every ${POLL_INTERVAL_WITH_EVENTS_MS / 1000}s when Pulse task events wake the wait, every ${POLL_INTERVAL_WITHOUT_EVENTS_MS / 1000}s without; other reads at most every ${MAX_POLL_INTERVAL_MS / 1000}s`,
  { minMs: 1, maxMs: MAX_TASK_POLL_INTERVAL_MS },
);

/** Reading a probe task's status: its taskId is only known once created, so any taskId. */
export const TASK_STATUS_SCOPE = 'queue:status:*';

/**
 * Scopes to create a probe task on a queue with these hygiene params (and these routes), and follow it with
 * queue.status. The queue accepts the create-task scope of the task's priority or of any higher one; the task's
 * own comes first, the least a role must grant.
 */
export function createTaskScopes(taskQueueId: string, params: { schedulerId: string; projectId: string }, routes: string[] = [], priority: TaskPriority = DEFAULT_PROBE_PRIORITY): ScopeExpression[] {
  return [
    { AnyOf: prioritiesAtOrAbove(priority).map((allowed) => `queue:create-task:${allowed}:${taskQueueId}`) },
    `queue:scheduler-id:${params.schedulerId}`,
    `queue:create-task:project:${params.projectId}`,
    ...routes.map((route) => `queue:route:${route}`),
    TASK_STATUS_SCOPE,
  ];
}

/** Scopes to cancel what these params create (the cleanup of an unresolved task). */
export function cancelTaskScopes(params: { schedulerId: string; projectId: string }): ScopeExpression {
  return { AnyOf: [`queue:cancel-task:${params.schedulerId}/*`, `queue:cancel-task-in-project:${params.projectId}`] };
}
