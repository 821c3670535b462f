// The tasks an attempt has seen resolved (queue.status said so): its cleanup then knows there is nothing to
// cancel without reading their status again, a round trip at the end of every task check. A resolved task
// stays resolved: tc-canary never reruns one.

import type { CheckContext } from '../check/context.js';

const seen = new WeakMap<CheckContext<unknown>, Set<string>>();

export function noteResolved(ctx: CheckContext<unknown>, taskId: string): void {
  const tasks = seen.get(ctx) ?? new Set<string>();
  tasks.add(taskId);
  seen.set(ctx, tasks);
}

export function seenResolved(ctx: CheckContext<unknown>, taskId: string): boolean {
  return seen.get(ctx)?.has(taskId) ?? false;
}
