// A scripted hooks service for the hook checks: nock routes answering as v74 does (the recorded
// hooks-*.json), recording every hook created and removed, and firing hooks when a test says so.

import nock from 'nock';
import slugid from 'slugid';
import { ROOT_URL, fixture } from '../support/deployment.js';
import { JSON_HEADERS, type FakeQueue } from './task-support.js';

export interface FakeHooks {
  created: Array<{ hookGroupId: string; hookId: string; definition: any }>;
  removed: string[];
  /** Hooks triggered through triggerHook. */
  fired: string[];
  /** Fires a hook as its scheduler or listener would: a task in the fake queue, its lastFire at `timeMs`. */
  fire(name: string, timeMs: number, outcome?: { result: 'error'; error: string }): string;
}

/**
 * createHook echoes the definition (as v74's hook-definition); triggerHook creates a task in the fake queue and
 * answers `{taskId, status: {taskId}}`, or answers `trigger` when given; getHookStatus answers the last fire.
 */
export function fakeHooks(queue: FakeQueue, trigger?: [number, Record<string, unknown>]): FakeHooks {
  const lastFires = new Map<string, Record<string, unknown>>();
  const fake: FakeHooks = {
    created: [], removed: [], fired: [],
    fire(name, timeMs, outcome) {
      const taskId = slugid.nice();
      if (!outcome) queue.adopt(taskId);
      const recorded = fixture('hooks-getHookStatus-fired.json').lastFire;
      lastFires.set(name, outcome ? { result: outcome.result, error: outcome.error, time: new Date(timeMs).toISOString() } : { ...recorded, taskId, time: new Date(timeMs).toISOString() });
      return taskId;
    },
  };
  const nameOf = (uri: string) => uri.split('/').slice(5, 7).map(decodeURIComponent).join('/');
  nock(ROOT_URL).persist()
    .put(/^\/api\/hooks\/v1\/hooks\/[^/]+\/[^/]+$/).reply((uri, body) => {
      const [hookGroupId, hookId] = nameOf(uri).split('/') as [string, string];
      fake.created.push({ hookGroupId, hookId, definition: body });
      return [200, { hookGroupId, hookId, ...(body as object) }, JSON_HEADERS];
    })
    .post(/^\/api\/hooks\/v1\/hooks\/[^/]+\/[^/]+\/trigger$/).reply((uri) => {
      fake.fired.push(nameOf(uri));
      if (trigger) return [trigger[0], trigger[1], JSON_HEADERS];
      const taskId = slugid.nice();
      queue.adopt(taskId);
      return [200, { taskId, status: { taskId } }, JSON_HEADERS];
    })
    .get(/^\/api\/hooks\/v1\/hooks\/[^/]+\/[^/]+\/status$/).reply((uri) => {
      const before = fixture('hooks-getHookStatus-before.json');
      const lastFire = lastFires.get(nameOf(uri));
      return [200, lastFire ? { ...before, lastFire } : before, JSON_HEADERS];
    })
    .delete(/^\/api\/hooks\/v1\/hooks\/[^/]+\/[^/]+$/).reply((uri) => {
      fake.removed.push(nameOf(uri));
      return [200, {}, JSON_HEADERS];
    });
  return fake;
}
