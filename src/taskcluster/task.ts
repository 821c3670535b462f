// Tasks that tc-canary creates, with the same hygiene everywhere: a fresh slugid, a short deadline and
// expiry, metadata naming tc-canary, the check and the run, and a cleanup that cancels it if unresolved.

import type { CheckContext } from '../check/context.js';
import { TOOL_VERSION } from '../version.js';
import { isNotFound, statusCodeOf, withScopeExplanation } from './api-errors.js';
import { newTaskId } from './clients.js';
import { createdByTags } from './probe-mark.js';
import { DEFAULT_PROBE_PRIORITY, type TaskPriority } from './priority.js';
import { isResolved, type TaskStatus } from './task-status.js';
import { seenResolved } from './seen-resolved.js';

export const TOOL_SOURCE = 'https://github.com/taskcluster/tc-canary';

export interface ProbeTaskOptions {
  taskQueueId: string;
  payload: Record<string, unknown>;
  schedulerId: string;
  projectId: string;
  /** Milliseconds after creation. */
  deadlineMs: number;
  expiresMs: number;
  routes?: string[];
  dependencies?: string[];
  /** Default: the queue's, the task's own id. */
  taskGroupId?: string;
  /** What this task is for, within its check (e.g. "child 2 of 3"). */
  purpose?: string;
  /** Default: lowest, so probes yield to real work. */
  priority?: TaskPriority;
  /** The task's `extra` (e.g. `index.data` for the entry the index service makes of it). */
  extra?: Record<string, unknown>;
  /**
   * Asked at cleanup: true leaves the task as it is instead of canceling it (a claim left to expire, for a
   * later run to verify). Default: an unresolved task is always canceled.
   */
  keepIf?: () => boolean;
}

export interface ProbeTask {
  taskId: string;
  /** Our clock when createTask was called (e2e latency starts here). */
  createdAtMs: number;
  /** The task's deadline as sent (and stored by the queue), on the deployment's clock. */
  deadlineAtMs: number;
}

/** The task definition; `created` comes from the deployment's clock so a skewed prober still creates tasks. */
export function probeTaskDefinition(ctx: Pick<CheckContext<unknown>, 'checkId' | 'runId' | 'serverNow'>, options: ProbeTaskOptions): Record<string, unknown> {
  const created = ctx.serverNow();
  const definition: Record<string, unknown> = {
    taskQueueId: options.taskQueueId,
    schedulerId: options.schedulerId,
    projectId: options.projectId,
    ...(options.taskGroupId ? { taskGroupId: options.taskGroupId } : {}),
    dependencies: options.dependencies ?? [],
    requires: 'all-completed',
    routes: options.routes ?? [],
    priority: options.priority ?? DEFAULT_PROBE_PRIORITY,
    retries: 0,
    created: new Date(created).toISOString(),
    deadline: new Date(created + options.deadlineMs).toISOString(),
    expires: new Date(created + options.expiresMs).toISOString(),
    scopes: [],
    payload: options.payload,
    metadata: {
      name: `tc-canary ${ctx.checkId}${options.purpose ? ` (${options.purpose})` : ''}`,
      description: `Synthetic probe task created by tc-canary ${TOOL_VERSION}, check ${ctx.checkId}, run ${ctx.runId}. Safe to cancel.`,
      owner: 'tc-canary@taskcluster.invalid',
      source: TOOL_SOURCE,
    },
    tags: createdByTags(ctx),
    extra: options.extra ?? {},
  };
  return definition;
}

/**
 * Creates a probe task in a step. The taskId is recorded and its cleanup registered before the request is
 * sent, so a task created by a request that then timed out is still found and canceled.
 */
export async function createProbeTask(ctx: CheckContext<unknown>, options: ProbeTaskOptions): Promise<ProbeTask> {
  const taskId = newTaskId();
  trackTask(ctx, taskId, options.keepIf);
  // Bound before the task exists, so not even its first event can be missed.
  await ctx.taskEvents.watch(taskId);
  const definition = probeTaskDefinition(ctx, options);
  const createdAtMs = ctx.clock.now();
  await ctx.step(`create task on ${options.taskQueueId}${options.purpose ? ` (${options.purpose})` : ''}`,
    () => withScopeExplanation(`createTask ${taskId}`, () => ctx.tc.queue.createTask(taskId, definition)));
  return { taskId, createdAtMs, deadlineAtMs: Date.parse(definition.deadline as string) };
}

/** Records a task the check caused to exist (created, or triggered through a hook) and cancels it at cleanup if unresolved. */
export function trackTask(ctx: CheckContext<unknown>, taskId: string, keepIf?: () => boolean): void {
  ctx.resource('task', taskId);
  ctx.defer(`cancel task ${taskId} if unresolved`, () => (keepIf?.() ? Promise.resolve() : cancelTaskIfUnresolved(ctx, taskId)));
}

/** Cancels a task unless it has resolved; one past its deadline cannot be canceled (409) and resolves by itself. */
export async function cancelTaskIfUnresolved(ctx: CheckContext<unknown>, taskId: string): Promise<void> {
  if (seenResolved(ctx, taskId)) return;
  let status: TaskStatus;
  try {
    ({ status } = (await ctx.tc.queue.status(taskId)) as { status: TaskStatus });
  } catch (error) {
    // The task was never created (createTask refused): nothing to cancel.
    if (isNotFound(error)) return;
    throw error;
  }
  if (isResolved(status)) return;
  try {
    await withScopeExplanation(`cancelTask ${taskId}`, () => ctx.tc.queue.cancelTask(taskId));
  } catch (error) {
    if (statusCodeOf(error) !== 409) throw error;
    ctx.log(`task ${taskId} is past its deadline (${status.deadline}) and cannot be canceled: the queue's deadline resolver resolves it`);
    return;
  }
  ctx.log(`canceled task ${taskId} (was ${status.state})`);
}
