// What every Pulse check does first: pick its route `<namespace>.tc-canary.<nonce>`, bind a queue of its own
// to that route on Taskcluster's exchanges before triggering anything, and delete the queue when it ends.

import type { CheckContext } from '../check/context.js';
import { param } from '../check/params.js';
import type { PulseSubscription } from './access.js';
import { canaryRoute } from './names.js';

/**
 * The routes' first word. A check's scopes are computed from its params before any connection exists, so only
 * a namespace given here can appear in them; empty means the Pulse connection's namespace.
 */
export const routeNamespaceParam = param.string('', 'First word of the route <namespace>.tc-canary.<nonce>; empty: the Pulse namespace, and then the scopes must cover every route', /^[A-Za-z0-9_.-]*$/);

/** The routes a check's scopes must cover: `<namespace>.tc-canary.*`, or every route when the namespace is only known once connected. */
export function canaryRoutePattern(namespace: string): string {
  return namespace ? canaryRoute(namespace, '*') : '*';
}

export interface CanarySubscription {
  /** `<namespace>.tc-canary.<nonce>`: the task route or notify routing key the check sends with. */
  route: string;
  subscription: PulseSubscription;
}

/** Subscribes, in a step, to `route.<route>` on each exchange; the queue's deletion is deferred. Skips the check without Pulse. */
export async function subscribeToCanaryRoute(ctx: CheckContext<{ namespace: string }>, step: string, exchanges: readonly string[]): Promise<CanarySubscription> {
  const pulse = ctx.pulse ?? ctx.skip('no Pulse configured');
  const route = canaryRoute(ctx.params.namespace || pulse.namespace, ctx.nonce);
  const subscription = await ctx.step(step, () => pulse.subscribe({
    check: ctx.checkId,
    nonce: ctx.nonce,
    bindings: exchanges.map((exchange) => ({ exchange, routingKeyPattern: `route.${route}` })),
    signal: ctx.signal,
  }));
  ctx.defer(`delete ${subscription.queue}`, () => subscription.close());
  return { route, subscription };
}
