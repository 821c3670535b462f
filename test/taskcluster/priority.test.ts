import { describe, expect, it } from 'vitest';
import { missingScopesReason } from '../../src/runner/preflight.js';
import { defineCheck } from '../../src/check/define.js';
import { createTaskScopes } from '../../src/taskcluster/task-params.js';
import { describePriorityAlternatives, prioritiesAtOrAbove } from '../../src/taskcluster/priority.js';

describe('task priorities', () => {
  it('lists the priorities whose create-task scope allows a task, its own first', () => {
    expect(prioritiesAtOrAbove('high')).toEqual(['high', 'very-high', 'highest']);
    expect(prioritiesAtOrAbove('highest')).toEqual(['highest']);
  });

  it('says a missing create-task scope as one scope and a rule, not seven alternatives', () => {
    const check = defineCheck({
      id: 'test.task', description: 'creates a task',
      scopes: { AllOf: createTaskScopes('built-in/succeed', { schedulerId: 'tc-canary', projectId: 'none' }) },
      async run() {},
    });
    expect(missingScopesReason(check, {}, ['queue:status:*'], true)).toBe(
      'missing scopes: queue:create-task:lowest:built-in/succeed (or a higher priority\'s), queue:scheduler-id:tc-canary, queue:create-task:project:none');
  });

  it('leaves other alternatives as they are', () => {
    expect(describePriorityAlternatives(['queue:create-task:high:a/b', 'queue:create-task:highest:a/b'])).toBeUndefined();
    expect(describePriorityAlternatives(['queue:cancel-task:x/*', 'queue:cancel-task-in-project:none'])).toBeUndefined();
    expect(describePriorityAlternatives(['queue:create-task:highest:a/b'])).toBe('queue:create-task:highest:a/b');
  });
});
