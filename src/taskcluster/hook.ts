// Hooks that tc-canary creates: a task template with the same hygiene as every probe task, rendered by the
// hooks service with JSON-e at trigger time, and a creation mark so a sweep can tell how old a leftover is.

import type { CheckContext } from '../check/context.js';
import { CREATED_BY } from './created-by.js';
import { probeTaskDefinition, type ProbeTaskOptions } from './task.js';

/** Tag on the hook's task template holding when the hook was created (hook definitions carry no date). */
export const HOOK_CREATED_TAG = 'tc-canary-hook-created';

type HookTaskOptions = Omit<ProbeTaskOptions, 'taskGroupId' | 'dependencies'>;

/** A createHook body whose task template makes one probe task per trigger. */
export function probeHookDefinition(ctx: Pick<CheckContext<unknown>, 'checkId' | 'runId' | 'serverNow'>, task: HookTaskOptions): Record<string, unknown> {
  const template = probeTaskDefinition(ctx, task);
  // Times relative to the hooks service's own clock when it fires; it fills in `created` itself.
  delete template.created;
  template.deadline = { $fromNow: `${Math.round(task.deadlineMs / 1000)} seconds` };
  template.expires = { $fromNow: `${Math.round(task.expiresMs / 1000)} seconds` };
  template.tags = { ...(template.tags as Record<string, string>), [HOOK_CREATED_TAG]: new Date(ctx.serverNow()).toISOString() };
  return {
    metadata: {
      name: `tc-canary ${ctx.checkId}`,
      description: `Synthetic probe hook created by tc-canary, check ${ctx.checkId}, run ${ctx.runId}. Removed when the check ends; safe to delete.`,
      owner: 'tc-canary@taskcluster.invalid',
      emailOnError: false,
    },
    schedule: [],
    task: template,
    triggerSchema: { type: 'object', additionalProperties: false },
  };
}

/** When tc-canary created this hook (from listHooks), or undefined when it is not one of tc-canary's. */
export function probeHookCreatedAt(hook: { task?: { tags?: Record<string, unknown> } }): number | undefined {
  const tags = hook.task?.tags;
  if (tags?.createdBy !== CREATED_BY || typeof tags[HOOK_CREATED_TAG] !== 'string') return undefined;
  const ms = Date.parse(tags[HOOK_CREATED_TAG]);
  return Number.isNaN(ms) ? undefined : ms;
}
