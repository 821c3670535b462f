import {
  canaryRoutePattern, defineCheck, param, routeNamespaceParam, subscribeToCanaryRoute, TASKCLUSTER_EXCHANGES,
  withScopeExplanation, type PulseMessage,
} from '../src/check/index.js';

/** The notification tc-canary sends; notify drops a repeat of a recent identical message, hence the nonce. */
interface CanaryNotification {
  nonce: string;
  sentAt: string;
}

function carriesNonce(message: PulseMessage, nonce: string): boolean {
  const body = message.body as { message?: Partial<CanaryNotification> } | null;
  return body?.message?.nonce === nonce;
}

/** notify → Pulse → our queue: the path every notify.pulse user (and tc-canary's own alerts) relies on. */
export const notifyRoundtrip = defineCheck({
  id: 'pulse.notify-roundtrip',
  description: 'A message sent with notify.pulse reaches a Pulse queue bound to its route, within the limit',
  tags: ['pulse', 'notify'],
  requires: ['pulse'],
  schedule: '*/15 * * * *',
  timeout: '1m',
  params: {
    namespace: routeNamespaceParam,
    maxRoundtrip: param.duration('10s', 'Longest acceptable time from the notify.pulse call until the message arrives'),
  },
  scopes: (params) => `notify:pulse:${canaryRoutePattern(params.namespace)}`,
  async run(ctx) {
    const { route: routingKey, subscription } = await subscribeToCanaryRoute(ctx, 'subscribe to the notification route', [TASKCLUSTER_EXCHANGES.notification]);

    const sentAtMs = ctx.clock.now();
    const notification: CanaryNotification = { nonce: ctx.nonce, sentAt: new Date(sentAtMs).toISOString() };
    await ctx.step('notify.pulse', () => withScopeExplanation(`notify.pulse ${routingKey}`, () => ctx.tc.notify.pulse({ routingKey, message: notification })));
    const message = await ctx.step('receive the notification', () => subscription.next((m) => carriesNonce(m, ctx.nonce), {
      description: `the notification with routing key ${routingKey}`,
      timeoutMs: ctx.params.maxRoundtrip,
      signal: ctx.signal,
    }));
    ctx.metric('pulse_roundtrip_ms', message.receivedAt - sentAtMs, { unit: 'ms', limit: ctx.params.maxRoundtrip });
  },
});
