// A check a user writes in their checksDir, with nothing but the public toolkit (`tc-canary/check`): the built
// CLI loads it from a folder outside tc-canary's package, runs it against a loopback deployment, cleans up what
// it made, and `sweep` looks where it declares its leftovers, with no change to tc-canary itself.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../support/deployment.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';

const USER_CHECK = `
import { createProbeTask, defineCheck, param, probeTaskLeftovers, taskHygiene, taskHygieneParams, waitForResolution, withScopeExplanation } from 'tc-canary/check';

export const teamProbe = defineCheck({
  id: 'team.probe',
  description: 'A task on built-in/succeed completes, and a secret of ours is written and removed',
  params: { ...taskHygieneParams, secretPrefix: param.string('team/canary', 'Where the probe secret goes') },
  leftovers: (params) => ({ ...probeTaskLeftovers(['team/probe-pool'], params), secrets: { prefix: params.secretPrefix } }),
  async run(ctx) {
    const task = await createProbeTask(ctx, { ...taskHygiene(ctx.params), taskQueueId: 'built-in/succeed', payload: {} });
    await waitForResolution(ctx, task, { claimSla: 60000, pollIntervalMs: 20, expect: { state: 'completed' }, measure: true });
    const name = ctx.params.secretPrefix + '/' + ctx.nonce;
    ctx.resource('secret', name);
    ctx.defer('remove secret ' + name, () => withScopeExplanation('secrets.remove', () => ctx.tc.secrets.remove(name)));
    await ctx.step('set secret', () => ctx.tc.secrets.set(name, { secret: { nonce: ctx.nonce }, expires: new Date(ctx.serverNow() + 3600000).toISOString() }));
  },
});

// A helper the file also exports: not a check, and not called by the catalogue.
export function describeProbe(list) { return list.at(0); }
`;

let deployment: FakeDeployment;
beforeEach(async () => { deployment = await FakeDeployment.start(); });
afterEach(async () => { await deployment.close(); });

/** The queue and secrets services, as far as the user's check uses them. */
function playQueueAndSecrets(): { created: string[]; secretsSet: string[]; secretsRemoved: string[] } {
  const seen = { created: [] as string[], secretsSet: [] as string[], secretsRemoved: [] as string[] };
  const status = (taskId: string) => {
    const body = fixture('task-succeed-status.json');
    body.status.taskId = taskId;
    return body;
  };
  deployment.setMatching(/^\/api\/queue\/v1\/task\/[^/]+(\/status)?$/, (request, _body, path) => {
    const taskId = path.split('/')[5]!;
    if (request.method === 'PUT') seen.created.push(taskId);
    return { status: 200, body: status(taskId) };
  });
  deployment.setMatching(/^\/api\/secrets\/v1\/secret\//, (request, _body, path) => {
    const name = decodeURIComponent(path.slice('/api/secrets/v1/secret/'.length));
    (request.method === 'DELETE' ? seen.secretsRemoved : seen.secretsSet).push(name);
    return { status: 200, body: {} };
  });
  return seen;
}

const ENV = { TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: 'user-check-token-never-shown' };

describe('a checksDir check written with tc-canary/check only', () => {
  it('is loaded (its helper export passed over), listed, run, cleaned up, and swept where it declares its leftovers', async () => {
    const dir = projectDir('checksDir: ./checks\nchecks:\n  include: [team.*]\n', { 'team.mjs': USER_CHECK });
    const seen = playQueueAndSecrets();

    const listed = await runCli(['list', '--json'], { cwd: dir, env: ENV });
    expect(listed.stderr).toBe('');
    const entries = JSON.parse(listed.stdout) as Array<{ id: string; selected: boolean; watches?: unknown; params: Record<string, string> }>;
    expect(entries.find((check) => check.id === 'team.probe')).toMatchObject({ selected: true, params: { secretPrefix: 'team/canary', deadline: '10m' } });
    // The built-in loop probes say which background process they watch.
    expect(entries.find((check) => check.id === 'queue.deadline-resolver')).toMatchObject({
      selected: false, watches: { service: 'queue', process: 'deadlineResolver' }, params: { taskQueueId: 'tc-canary/deadline-probe', deadlineIn: '15s', deadlineLagSla: '3m' },
    });

    const run = await runCli(['run', '--root-url', deployment.rootUrl, '--no-history', '--json', 'report.json'], { cwd: dir, env: ENV });
    expect(run.stdout).toMatch(/tc-canary PASSED: 1 passed/);
    expect(run.code).toBe(0);
    expect(seen.created).toHaveLength(1);
    expect(seen.secretsSet).toEqual([expect.stringMatching(/^team\/canary\/[0-9a-f]+$/)]);
    expect(seen.secretsRemoved).toEqual(seen.secretsSet);

    const swept = await runCli(['sweep', '--root-url', deployment.rootUrl, '--dry-run'], { cwd: dir, env: ENV });
    expect(swept.stdout.split('\n')[0]).toMatch(/tasks of schedulerId tc-canary on [^;]*team\/probe-pool[^;]*; secrets under [^;]*team\/canary\//);
    expect(run.stdout + run.stderr + swept.stdout + swept.stderr).not.toContain(ENV.TASKCLUSTER_ACCESS_TOKEN);
  });
});
