import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweep } from '../../src/sweep/sweep.js';
import type { SweepTargets } from '../../src/sweep/targets.js';
import { taskclusterClients } from '../../src/taskcluster/clients.js';
import { ROOT_URL } from '../support/deployment.js';
import { NOW, leftoversDeployment } from './leftovers-deployment.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const targets: SweepTargets = {
  taskQueueIds: ['built-in/succeed', 'built-in/fail'], schedulerIds: ['tc-canary'],
  secretPrefixes: ['project/tc-canary'], hookGroupIds: ['project-tc-canary'], indexPrefixes: ['project.tc-canary'],
};

async function sweepWith(options: { dryRun?: boolean } = {}) {
  const lines: string[] = [];
  const tc = taskclusterClients(ROOT_URL, { clientId: 'tester', accessToken: 'token-123456' });
  const summary = await sweep(tc, targets, { olderThanMs: 3_600_000, dryRun: options.dryRun ?? false, nowMs: NOW, print: (line) => lines.push(line) });
  return { summary, lines };
}

describe('sweep', () => {
  it('cancels old probe tasks and removes old probe secrets, hooks and index entries, leaving young and foreign things alone', async () => {
    const removals = leftoversDeployment();
    const { summary, lines } = await sweepWith();
    expect(removals).toEqual({
      canceled: ['OldProbeTaskAAAAAAAAAA'],
      removedSecrets: ['project/tc-canary/old', 'project/tc-canary/expired'],
      removedHooks: ['project-tc-canary/old-hook'],
      removedIndexEntries: ['project.tc-canary.old'],
    });
    expect(summary).toEqual({ swept: 5, kept: 1, failed: 0, unlooked: 0 });
    expect(lines).toEqual([
      'skipped: listPendingTasks(built-in/fail): not offered by this deployment',
      'skipped: listClaimedTasks(built-in/fail): not offered by this deployment',
      'canceled task OldProbeTaskAAAAAAAAAA (pending on built-in/succeed, 2h old)',
      'kept task YoungProbeTaskAAAAAAAA (pending on built-in/succeed, 10m old): younger than 1h',
      'removed secret project/tc-canary/old (probe secret, 2h old)',
      'removed secret project/tc-canary/expired (expired)',
      'removed hook project-tc-canary/old-hook (probe hook, 3h old)',
      'removed index entry project.tc-canary.old (probe task Nvx5e65rQ32ySmVAmDNoQA, 2h old)',
    ]);
  });

  it('with --dry-run says what it would do and makes no cancel or remove request', async () => {
    const removals = leftoversDeployment();
    const { summary, lines } = await sweepWith({ dryRun: true });
    expect(removals).toEqual({ canceled: [], removedSecrets: [], removedHooks: [], removedIndexEntries: [] });
    expect(summary.swept).toBe(5);
    expect(lines).toContain('would cancel task OldProbeTaskAAAAAAAAAA (pending on built-in/succeed, 2h old)');
    expect(lines).toContain('would remove hook project-tc-canary/old-hook (probe hook, 3h old)');
    expect(lines.filter((line) => /^(canceled|removed) /.test(line))).toEqual([]);
  });

  it('counts removals that fail, naming the error', async () => {
    leftoversDeployment({ failRemovals: true });
    const { summary, lines } = await sweepWith();
    expect(summary).toMatchObject({ swept: 0, failed: 5 });
    expect(lines).toContain('failed to cancel task OldProbeTaskAAAAAAAAAA (pending on built-in/succeed, 2h old): Internal Server Error');
  });
});
