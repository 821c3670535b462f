// Hooks that tc-canary creates: a task template with the same hygiene as every probe task, rendered by the
// hooks service with JSON-e at trigger time, and a creation mark so a sweep can tell how old a leftover is.

import type { CheckContext } from '../check/context.js';
import { formatDuration, formatElapsed } from '../check/duration.js';
import { AssertionFailure, SlaExceeded } from '../check/errors.js';
import { param } from '../check/params.js';
import { withScopeExplanation } from './api-errors.js';
import { CREATED_BY } from './probe-mark.js';
import { pollUntil, type PollInterval } from './poll.js';
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

/** The hook group every probe hook is created in. */
export const hookGroupIdParam = param.string('project-tc-canary', 'Hook group the probe hooks are created in', /^[a-zA-Z0-9-_]{1,1000}$/);

/** Scopes to create and remove probe hooks in the group: createHook also needs the hook's own role. */
export function probeHookScopes(hookGroupId: string): string[] {
  return [`hooks:modify-hook:${hookGroupId}/*`, `assume:hook-id:${hookGroupId}/*`];
}

/** A hook tc-canary created; its removal is registered as a cleanup before the create request is sent. */
export interface ProbeHook {
  hookGroupId: string;
  hookId: string;
  /** `<hookGroupId>/<hookId>`. */
  name: string;
  /** Removes the hook now, in a step; the cleanup then has nothing left to do. */
  remove(): Promise<void>;
}

/** Creates a probe hook `<hookGroupId>/<nonce>` in a step, recorded as a resource and removed on every path. */
export async function createProbeHook(ctx: CheckContext<unknown>, hookGroupId: string, task: HookTaskOptions, firing: HookFiring = {}): Promise<ProbeHook> {
  const hookId = ctx.nonce;
  const name = `${hookGroupId}/${hookId}`;
  ctx.resource('hook', name);
  // Registered before the hook exists (a createHook that timed out may have stored it); removeHook is idempotent.
  let removed = false;
  const removeHook = () => withScopeExplanation(`removeHook ${name}`, () => ctx.tc.hooks.removeHook(hookGroupId, hookId));
  ctx.defer(`remove hook ${name}`, () => (removed ? Promise.resolve() : removeHook()));
  const definition = probeHookDefinition(ctx, { ...task, purpose: `hook ${name}` }, firing);
  await ctx.step(`create hook ${name}`, () => withScopeExplanation(`createHook ${name}`, () => ctx.tc.hooks.createHook(hookGroupId, hookId, definition)));
  return {
    hookGroupId, hookId, name,
    async remove() {
      await ctx.step(`remove hook ${name}`, removeHook);
      removed = true;
    },
  };
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
export async function waitForHookFire(ctx: CheckContext<unknown>, hook: Pick<ProbeHook, 'hookGroupId' | 'hookId' | 'name'>, options: { after: number; loop: LoopBound; pollIntervalMs: PollInterval }): Promise<HookFire> {
  const { hookGroupId, hookId, name } = hook;
  const { loop } = options;
  const offsetMs = ctx.serverNow() - ctx.clock.now();
  // No fire can come before `after` (a schedule's time): asking earlier would only load the service.
  const early = options.after - ctx.serverNow();
  if (early > 0) await ctx.step(`wait until ${new Date(options.after).toISOString()}`, () => ctx.sleep(early));
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
