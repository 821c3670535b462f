// Hooks that tc-canary creates: a task template with the same hygiene as every probe task, rendered by the
// hooks service with JSON-e at trigger time, and a creation mark so a sweep can tell how old a leftover is.

import type { CheckContext } from '../check/context.js';
import { formatDuration, formatElapsed } from '../check/duration.js';
import { AssertionFailure, SlaExceeded } from '../check/errors.js';
import { withScopeExplanation } from './api-errors.js';
import { CREATED_BY } from './created-by.js';
import { pollUntil } from './poll.js';
import { probeTaskDefinition, type ProbeTaskOptions } from './task.js';
import type { LoopBound } from './wait.js';

/** Tag on the hook's task template holding when the hook was created (hook definitions carry no date). */
export const HOOK_CREATED_TAG = 'tc-canary-hook-created';

type HookTaskOptions = Omit<ProbeTaskOptions, 'taskGroupId' | 'dependencies'>;

/** What fires the hook besides a trigger call: cron schedules (with a seconds field, UTC) or Pulse bindings. */
export interface HookFiring {
  schedule?: string[];
  bindings?: Array<{ exchange: string; routingKeyPattern: string }>;
}

/** A createHook body whose task template makes one probe task per fire. */
export function probeHookDefinition(ctx: Pick<CheckContext<unknown>, 'checkId' | 'runId' | 'serverNow'>, task: HookTaskOptions, firing: HookFiring = {}): Record<string, unknown> {
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
    schedule: firing.schedule ?? [],
    ...(firing.bindings ? { bindings: firing.bindings } : {}),
    task: template,
    // A Pulse-fired hook's context carries the message's payload, whatever its fields.
    triggerSchema: firing.bindings ? { type: 'object' } : { type: 'object', additionalProperties: false },
  };
}

/** When tc-canary created this hook (from listHooks), or undefined when it is not one of tc-canary's. */
export function probeHookCreatedAt(hook: { task?: { tags?: Record<string, unknown> } }): number | undefined {
  const tags = hook.task?.tags;
  if (tags?.createdBy !== CREATED_BY || typeof tags[HOOK_CREATED_TAG] !== 'string') return undefined;
  const ms = Date.parse(tags[HOOK_CREATED_TAG]);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A hook's fire as getHookStatus reports it, on the deployment's clock. */
export interface HookFire {
  taskId: string;
  firedAtMs: number;
}

interface HookStatus {
  lastFire?: { result?: string; taskId?: string; time?: string; error?: string };
}

/**
 * Waits for the hook's first fire after `after` (epoch ms, the deployment's clock), polling getHookStatus with
 * backoff; fails naming the loop once its bound passes, or when the fire could not create its task.
 */
export async function waitForHookFire(ctx: CheckContext<unknown>, hookGroupId: string, hookId: string, options: { after: number; loop: LoopBound; pollIntervalMs: number }): Promise<HookFire> {
  const name = `${hookGroupId}/${hookId}`;
  const { loop } = options;
  const offsetMs = ctx.serverNow() - ctx.clock.now();
  const polled = await ctx.step(`wait for hook ${name} to fire`, () => pollUntil(ctx, { sinceMs: loop.atMs - offsetMs, limitMs: loop.limitMs, intervalMs: options.pollIntervalMs }, async () => {
    const status = (await withScopeExplanation(`getHookStatus ${name}`, () => ctx.tc.hooks.getHookStatus(hookGroupId, hookId))) as HookStatus;
    const fire = status.lastFire;
    const firedAtMs = Date.parse(fire?.time ?? '');
    if (!fire || fire.result === 'no-fire' || Number.isNaN(firedAtMs) || firedAtMs < options.after) return undefined;
    if (fire.result !== 'success' || !fire.taskId) throw new AssertionFailure(`${loop.loop}: hook ${name} fired but could not create its task: ${fire.error || fire.result}`);
    return { taskId: fire.taskId, firedAtMs };
  }));
  if (polled.value) return polled.value;
  const overdueMs = ctx.toServerTime(polled.atMs) - loop.atMs;
  throw new SlaExceeded(`${loop.loop}: hook ${name} has not fired ${formatElapsed(overdueMs)} after ${loop.after} (limit ${formatDuration(loop.limitMs)})`);
}
