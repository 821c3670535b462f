import {
  cancelTaskScopes, claimSlaParam, createProbeHook, defineCheck, ExplainedApiError, explainScopes, hookGroupIdParam,
  missingScopesOf, pollIntervalParam, probeHookScopes, probeTaskLeftovers, serviceMessageOf, TASK_STATUS_SCOPE,
  taskHygiene, taskHygieneParams, trackTask, waitForResolution, type CheckContext,
} from '../src/check/index.js';

type HooksClient = CheckContext<unknown>['tc']['hooks'];

const TASK_QUEUE_ID = 'built-in/succeed';

/**
 * The hooks service renders a hook's task template and creates the task with the hook's role: a hook that
 * creates a built-in/succeed task is triggered, and that task must complete. The task is created with the
 * scopes of role `hook-id:<hookGroupId>/<hookId>`, which the deployment must grant (see docs/checks.md).
 */
export const hooksTrigger = defineCheck({
  id: 'hooks.trigger',
  description: 'A hook <hookGroupId>/<nonce> is created, triggered, its built-in/succeed task completes, and it is removed',
  tags: ['hooks', 'queue', 'task'],
  schedule: '*/15 * * * *',
  timeout: '5m',
  params: {
    ...taskHygieneParams,
    hookGroupId: hookGroupIdParam,
    claimSla: claimSlaParam,
    pollInterval: pollIntervalParam,
  },
  scopes: (params) => ({
    AllOf: [
      ...probeHookScopes(params.hookGroupId),
      `hooks:trigger-hook:${params.hookGroupId}/*`,
      TASK_STATUS_SCOPE,
      cancelTaskScopes(params),
    ],
  }),
  leftovers: (params) => ({ ...probeTaskLeftovers([TASK_QUEUE_ID], params), hooks: { group: params.hookGroupId } }),
  dashboard: { keyMetric: 'claim_latency_ms' },
  async run(ctx) {
    const { params } = ctx;
    const hook = await createProbeHook(ctx, params.hookGroupId, { ...taskHygiene(params), taskQueueId: TASK_QUEUE_ID, payload: {} });
    const triggeredAtMs = ctx.clock.now();
    const fired = (await ctx.step(`trigger hook ${hook.name}`, () => triggerHook(ctx.tc.hooks, hook.hookGroupId, hook.hookId))) as { taskId?: string };
    if (!fired.taskId) return ctx.fail(`triggering hook ${hook.name} created no task`);
    trackTask(ctx, fired.taskId);

    await waitForResolution(ctx, { taskId: fired.taskId, createdAtMs: triggeredAtMs }, {
      claimSla: params.claimSla, pollIntervalMs: params.pollInterval, purpose: `hook ${hook.name}`, expect: { state: 'completed' }, measure: true,
    });
    await hook.remove();
  },
});

/**
 * triggerHook, with its refusals made plain: when the hooks service could not create the task, its message
 * starts "The role `hook-id:...`" and carries the queue's list of the role's missing scopes.
 */
async function triggerHook(hooks: HooksClient, hookGroupId: string, hookId: string): Promise<unknown> {
  const name = `${hookGroupId}/${hookId}`;
  try {
    return await hooks.triggerHook(hookGroupId, hookId, {});
  } catch (error) {
    if (serviceMessageOf(error)?.startsWith('The role `hook-id:')) {
      throw new ExplainedApiError(`hook ${name} could not create its task: role hook-id:${name} is missing ${missingScopesOf(error) ?? 'scopes'}`, error);
    }
    throw explainScopes(`triggerHook ${name}`, error);
  }
}
