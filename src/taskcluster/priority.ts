// Task priorities the queue accepts, highest first (the legacy `normal` is left out: the queue treats it as
// `lowest`). Creating a task at a priority needs queue:create-task:<priority>:<taskQueueId> or a higher one's.

export const TASK_PRIORITIES = ['highest', 'very-high', 'high', 'medium', 'low', 'very-low', 'lowest'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Probe tasks yield to real work unless the operator says otherwise. */
export const DEFAULT_PROBE_PRIORITY: TaskPriority = 'lowest';

/** The priorities whose create-task scope allows a task at `priority`: its own first, then each higher one. */
export function prioritiesAtOrAbove(priority: TaskPriority): TaskPriority[] {
  return TASK_PRIORITIES.slice(0, TASK_PRIORITIES.indexOf(priority) + 1).reverse();
}
