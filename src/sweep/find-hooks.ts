// Probe hooks in the configured hook group, dated by the mark tc-canary puts in their task template.

import type { HooksClient } from 'taskcluster-client';
import { isNotFound } from '../taskcluster/api-errors.js';
import { probeHookCreatedAt } from '../taskcluster/hook.js';
import { problemAt, type Findings, type Leftover } from './leftover.js';

interface ListedHook {
  hookGroupId: string;
  hookId: string;
  task?: { tags?: Record<string, unknown> };
}

export async function findLeftoverHooks(hooks: HooksClient, hookGroupId: string, nowMs: number): Promise<Findings> {
  let listed: ListedHook[];
  try {
    ({ hooks: listed } = (await hooks.listHooks(hookGroupId)) as { hooks: ListedHook[] });
  } catch (error) {
    // An empty group does not exist: the hooks service answers 404 "No such group".
    if (isNotFound(error)) return { leftovers: [], problems: [] };
    return { leftovers: [], problems: [problemAt(`hooks.listHooks(${hookGroupId})`, error)] };
  }
  const leftovers = listed.flatMap((hook): Leftover[] => {
    const createdAt = probeHookCreatedAt(hook);
    if (createdAt === undefined) return [];
    return [{
      kind: 'hook', id: `${hook.hookGroupId}/${hook.hookId}`, ageMs: nowMs - createdAt, detail: 'probe hook', action: 'remove',
      remove: () => hooks.removeHook(hook.hookGroupId, hook.hookId),
    }];
  });
  return { leftovers, problems: [] };
}
