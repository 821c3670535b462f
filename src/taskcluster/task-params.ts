// The parameters every task-creating check shares, so hygiene is configured the same way everywhere.

import type { ScopeExpression } from 'taskcluster-lib-scopes';
import { param } from '../check/params.js';

export const taskHygieneParams = {
  schedulerId: param.string('tc-canary', 'schedulerId of the tasks this check creates', /^[a-zA-Z0-9_-]{1,38}$/),
  projectId: param.string('none', 'projectId of the tasks this check creates', /^[a-zA-Z0-9._/-]{1,500}$/),
  deadline: param.duration('10m', 'Task deadline, after creation'),
  expires: param.duration('1d', 'Task expiry, after creation'),
};

/** Scopes to create a task on a queue with these hygiene params. */
export function createTaskScopes(taskQueueId: string, params: { schedulerId: string; projectId: string }): string[] {
  return [
    `queue:create-task:lowest:${taskQueueId}`,
    `queue:scheduler-id:${params.schedulerId}`,
    `queue:create-task:project:${params.projectId}`,
  ];
}

/** Scopes to cancel what these params create (the cleanup of an unresolved task). */
export function cancelTaskScopes(params: { schedulerId: string; projectId: string }): ScopeExpression {
  return { AnyOf: [`queue:cancel-task:${params.schedulerId}/*`, `queue:cancel-task-in-project:${params.projectId}`] };
}
