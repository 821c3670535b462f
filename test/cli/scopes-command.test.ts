import { describe, expect, it } from 'vitest';
import { scopesCommand } from '../../src/cli/scopes-command.js';
import { roleScopes } from '../../src/taskcluster/role-scopes.js';
import { configFile, runCommandInProcess } from '../sweep/in-process-command.js';

describe('roleScopes', () => {
  it('takes required scopes, the first alternative of an unsatisfied AnyOf, and normalizes', () => {
    expect(roleScopes([
      { AllOf: ['queue:status:*', 'queue:status:x', 'b:1', { AnyOf: ['c:first', 'c:second'] }] },
      'b:1',
    ])).toEqual(['b:1', 'c:first', 'queue:status:*']);
  });

  it('adds nothing for an AnyOf that another check\'s scopes already satisfy', () => {
    expect(roleScopes([{ AnyOf: ['cancel:a', 'cancel:b'] }, 'cancel:*'])).toEqual(['cancel:*']);
  });
});

describe('tc-canary scopes', () => {
  it('prints the union of what the selected checks need, one per line, with their params applied', async () => {
    const config = configFile([
      'checks:',
      '  include: ["secrets.*", "hooks.*", "index.*"]',
      '  params:',
      '    secrets.roundtrip: {secretPrefix: project/canary-x}',
      '    index.roundtrip: {indexPrefix: project.canary-x, schedulerId: canary-x}',
      '',
    ].join('\n'));
    const outcome = await runCommandInProcess(scopesCommand(), ['--config', config]);
    expect(outcome.exitCode).toBe(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toEqual(expect.arrayContaining([
      'secrets:set:project/canary-x/*', 'secrets:get:project/canary-x/*',
      'hooks:modify-hook:project-tc-canary/*', 'assume:hook-id:project-tc-canary/*', 'hooks:trigger-hook:project-tc-canary/*',
      // hooks.schedule and hooks.pulse-binding read their hook's fires.
      'hooks:status:project-tc-canary/*',
      'queue:create-task:lowest:built-in/succeed', 'queue:scheduler-id:canary-x',
      'queue:create-task:project:none', 'queue:route:index.project.canary-x.*', 'index:find-task:project.canary-x.*', 'index:delete-task:project.canary-x.*',
      'queue:status:*', 'queue:cancel-task:tc-canary/*', 'queue:cancel-task:canary-x/*',
      // The preflight's auth.currentScopes(): without it no missing scope is skipped by name.
      'auth:current-scopes',
    ]));
    expect(lines).toHaveLength(16);
    // hooks.trigger's task is created by the hook's role, so the run needs no scheduler scope for it; and
    // nothing of the checks the config did not select.
    expect(lines).not.toContain('queue:scheduler-id:tc-canary');
    expect(lines.some((line) => line.startsWith('purge-cache:'))).toBe(false);
  });

  it('--json gives the union and each check\'s own scopes', async () => {
    const config = configFile('checks:\n  include: ["purge-cache.*"]\n');
    const outcome = await runCommandInProcess(scopesCommand(), ['--config', config, '--json']);
    expect(JSON.parse(outcome.stdout)).toEqual({
      scopes: ['auth:current-scopes', 'purge-cache:built-in/succeed:tc-canary-cache', 'purge-cache:purge-requests::built-in/succeed'],
      byCheck: { 'purge-cache.roundtrip': ['purge-cache:built-in/succeed:tc-canary-cache', 'purge-cache:purge-requests::built-in/succeed'] },
    });
  });
});
