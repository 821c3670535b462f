import {
  canaryExchange, cancelTaskScopes, claimSlaParam, createProbeHook, defineCheck, hookGroupIdParam, param,
  pollIntervalParam, probeHookScopes, probeTaskLeftovers, TASK_STATUS_SCOPE, taskHygiene, taskHygieneParams, trackTask,
  waitForHookFire, waitForResolution,
} from '../src/check/index.js';

const TASK_QUEUE_ID = 'built-in/succeed';

/**
 * The hooks service's listeners: a hook bound to an exchange of tc-canary's own (under its Pulse namespace,
 * where it may publish) must fire when a matching message is published, and its task complete. The listeners
 * bind a new hook's queue when the hooks service announces the hook (hook-created), normally within a second:
 * the message is published `bindingDelay` after the hook was created.
 */
export const hooksPulseBinding = defineCheck({
  id: 'hooks.pulse-binding',
  description: 'A hook bound to a tc-canary exchange fires when a matching Pulse message is published, its built-in/succeed task completes, and it is removed',
  tags: ['hooks', 'pulse', 'queue', 'task', 'loop'],
  requires: ['pulse'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  watches: { service: 'hooks', process: 'listeners' },
  params: {
    ...taskHygieneParams,
    hookGroupId: hookGroupIdParam,
    claimSla: claimSlaParam,
    bindingDelay: param.duration('5s', 'Time between creating the hook and publishing the message, for the listeners to bind its queue'),
    listenerLagSla: param.duration('60s', 'Longest acceptable time from publishing the message until the hook fires'),
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({
    AllOf: [...probeHookScopes(params.hookGroupId), `hooks:status:${params.hookGroupId}/*`, TASK_STATUS_SCOPE, cancelTaskScopes(params)],
  }),
  leftovers: (params) => ({ ...probeTaskLeftovers([TASK_QUEUE_ID], params), hooks: { group: params.hookGroupId } }),
  dashboard: { keyMetric: 'listener_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    const pulse = ctx.pulse ?? ctx.skip('no Pulse configured');
    const exchange = canaryExchange(pulse.namespace, 'hook-probe');
    const routingKey = `tc-canary.${ctx.nonce}`;
    // The listeners bind to the exchange, so it must exist first.
    await ctx.step(`declare ${exchange}`, () => pulse.declareExchange(exchange));
    const hook = await createProbeHook(ctx, params.hookGroupId, { ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {} }, {
      bindings: [{ exchange, routingKeyPattern: routingKey }],
    });
    await ctx.sleep(params.bindingDelay);

    const publishedMs = ctx.serverNow();
    await ctx.step(`publish ${routingKey} on ${exchange}`, () => pulse.publish(exchange, routingKey, { nonce: ctx.nonce, publishedAt: new Date(publishedMs).toISOString() }));
    const fire = await waitForHookFire(ctx, hook, {
      after: publishedMs - 1000,
      loop: { loop: 'hooks listeners', after: `a matching message was published on ${exchange}`, atMs: publishedMs, limitMs: params.listenerLagSla },
      pollIntervalMs: params.pollInterval,
    });
    trackTask(ctx, fire.taskId);
    // A skew between our clock and the deployment's not measured to the millisecond could make a tiny lag negative.
    ctx.metric('listener_lag_ms', Math.max(0, fire.firedAtMs - publishedMs), { unit: 'ms', limit: params.listenerLagSla });

    await waitForResolution(ctx, { taskId: fire.taskId, createdAtMs: ctx.clock.now() }, {
      claimSla: params.claimSla, pollIntervalMs: params.pollInterval, purpose: `hook ${hook.name}`, expect: { state: 'completed' },
    });
    await hook.remove();
  },
});
