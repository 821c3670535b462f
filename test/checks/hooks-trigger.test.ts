import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hooksTrigger } from '../../checks/hooks-trigger.js';
import { FAST_POLL, apiErrorBody, completesAfterOnePoll, fakeQueue, runOne, taskStatus, type StatusAnswer } from './task-support.js';
import { fakeHooks } from './hooks-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

function setup(statusOf: (task: Parameters<typeof completesAfterOnePoll>[0]) => StatusAnswer, trigger?: [number, Record<string, unknown>]) {
  const queue = fakeQueue(statusOf);
  return { queue, hooks: fakeHooks(queue, trigger) };
}

describe('hooks.trigger', () => {
  it('creates a hook whose template makes a hygienic built-in/succeed task, triggers it, waits for the task, removes the hook', async () => {
    const { queue, hooks } = setup(completesAfterOnePoll);
    const result = await runOne(hooksTrigger, FAST_POLL);
    expect(result.outcome).toBe('passed');
    const [hook] = hooks.created;
    expect(hook!.hookGroupId).toBe('project-tc-canary');
    const hookName = `project-tc-canary/${hook!.hookId}`;
    const taskId = [...queue.byId.keys()][0]!;
    expect(result.resources).toEqual([{ type: 'hook', id: hookName }, { type: 'task', id: taskId }]);
    const template = hook!.definition.task;
    expect(template).toMatchObject({
      taskQueueId: 'built-in/succeed', schedulerId: 'tc-canary', projectId: 'none', payload: {},
      deadline: { $fromNow: '600 seconds' }, expires: { $fromNow: '86400 seconds' },
    });
    expect(template.created).toBeUndefined();
    expect(template.tags).toMatchObject({ createdBy: 'tc-canary', 'tc-canary-check': 'hooks.trigger' });
    expect(Date.parse(template.tags['tc-canary-hook-created'])).not.toBeNaN();
    expect(hook!.definition).toMatchObject({ schedule: [], metadata: { emailOnError: false } });
    expect(hooks.fired).toEqual([hookName]);
    expect(result.metrics.claim_latency_ms).toMatchObject({ value: 889, ok: true });
    // Removed once, by the check: its cleanup has nothing left to do.
    expect(hooks.removed).toEqual([hookName]);
  });

  it('reports a trigger that could not create the task, naming the role and its missing scope, and removes the hook', async () => {
    // As v74's triggerHook answers when the queue refuses the hook's role (the hook name is the test's, not the check's).
    const refusal = apiErrorBody('InsufficientScopes', 403, 'triggerHook',
      `The role \`hook-id:project-tc-canary/some-hook\` does not have sufficient scopes to create the task:\n\nClient ID static/taskcluster/hooks does not have sufficient scopes and is missing the following scopes:\n\n\`\`\`\nqueue:create-task:project:none\n\`\`\``);
    const { hooks } = setup(completesAfterOnePoll, [403, refusal]);
    const result = await runOne(hooksTrigger, FAST_POLL);
    expect(result.outcome).toBe('error');
    const hookName = `project-tc-canary/${hooks.created[0]!.hookId}`;
    expect(result.error!.message).toBe(`hook ${hookName} could not create its task: role hook-id:${hookName} is missing queue:create-task:project:none`);
    expect(result.error!.step).toBe(`trigger hook ${hookName}`);
    expect(result.attempts).toHaveLength(1);
    expect(hooks.removed).toEqual([hookName]);
  });

  it('fails when the hook\'s task does not complete, canceling nothing resolved and removing the hook', async () => {
    const { queue, hooks } = setup((task) => taskStatus(task.taskId, 'exception', { reasonResolved: 'malformed-payload' }));
    const result = await runOne(hooksTrigger, FAST_POLL);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/resolved exception \(malformed-payload\), expected completed$/);
    expect(queue.canceled).toEqual([]);
    expect(hooks.removed).toHaveLength(1);
  });

  it('cancels the hook\'s task when it is never claimed, and removes the hook', async () => {
    const { queue, hooks } = setup((task) => taskStatus(task.taskId, 'pending'));
    const result = await runOne(hooksTrigger, { ...FAST_POLL, claimSla: 100 });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/^claim SLA exceeded: pending after/);
    expect(queue.canceled).toEqual([...queue.byId.keys()]);
    expect(hooks.removed).toHaveLength(1);
  });
});
