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

const CREATE_TASK = /^queue:create-task:([a-z-]+):(.+)$/;

/**
 * "queue:create-task:lowest:<queue> (or a higher priority's)" for the alternatives prioritiesAtOrAbove makes,
 * else undefined: seven alternatives say less to a reader than one scope and a rule.
 */
export function describePriorityAlternatives(alternatives: readonly unknown[]): string | undefined {
  const [first] = alternatives;
  const match = typeof first === 'string' ? CREATE_TASK.exec(first) : null;
  if (!match || !(TASK_PRIORITIES as readonly string[]).includes(match[1]!)) return undefined;
  const expected = prioritiesAtOrAbove(match[1] as TaskPriority).map((priority) => `queue:create-task:${priority}:${match[2]}`);
  const same = expected.length === alternatives.length && expected.every((scope, i) => alternatives[i] === scope);
  if (!same) return undefined;
  return expected.length === 1 ? first as string : `${first as string} (or a higher priority's)`;
}
