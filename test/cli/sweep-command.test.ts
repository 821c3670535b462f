import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep-command.js';
import { ConfigError } from '../../src/config/diagnostics.js';
import { ROOT_URL } from '../support/deployment.js';
import { leftoversDeployment } from '../sweep/leftovers-deployment.js';
import { configFile, runCommandInProcess } from '../sweep/in-process-command.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const CREDENTIALS = { TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: 'secret-token-value-123' };
// The prefixes come from the checks' params, as configured.
const config = () => configFile('checks:\n  params:\n    secrets.roundtrip:\n      secretPrefix: project/tc-canary\n');

describe('tc-canary sweep', () => {
  it('sweeps under the configured prefixes, prints each action and a summary, and exits 0', async () => {
    const removals = leftoversDeployment();
    const outcome = await runCommandInProcess(sweepCommand(), ['--config', config(), '--root-url', ROOT_URL], CREDENTIALS);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/^sweeping https:\/\/tc\.example\.test: tasks of schedulerId tc-canary on built-in\/succeed, built-in\/fail, tc-canary\/claim-probe, tc-canary\/deadline-probe; secrets under project\/tc-canary\/; hooks in project-tc-canary; index entries under project\.tc-canary\n/);
    expect(outcome.stdout).toContain('canceled task OldProbeTaskAAAAAAAAAA (pending on built-in/succeed, 2h old)\n');
    expect(outcome.stdout).toMatch(/swept 5, kept 1, failed 0\n$/);
    expect(removals.canceled).toEqual(['OldProbeTaskAAAAAAAAAA']);
    expect(outcome.stdout + outcome.stderr).not.toContain(CREDENTIALS.TASKCLUSTER_ACCESS_TOKEN);
  });

  it('--dry-run makes no delete or cancel call', async () => {
    const removals = leftoversDeployment();
    const outcome = await runCommandInProcess(sweepCommand(), ['--config', config(), '--root-url', ROOT_URL, '--dry-run'], CREDENTIALS);
    expect(outcome.exitCode).toBe(0);
    expect(removals).toEqual({ canceled: [], removedSecrets: [], removedHooks: [], removedIndexEntries: [] });
    expect(outcome.stdout).toMatch(/would sweep 5, kept 1, failed 0\n$/);
  });

  it('--older-than decides what is old enough', async () => {
    const removals = leftoversDeployment();
    await runCommandInProcess(sweepCommand(), ['--config', config(), '--root-url', ROOT_URL, '--older-than', '5m'], CREDENTIALS);
    expect(removals.canceled.sort()).toEqual(['OldProbeTaskAAAAAAAAAA', 'YoungProbeTaskAAAAAAAA']);
  });

  it('exits 1 when a removal fails', async () => {
    leftoversDeployment({ failRemovals: true });
    const outcome = await runCommandInProcess(sweepCommand(), ['--config', config(), '--root-url', ROOT_URL], CREDENTIALS);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(/failed 5\n$/);
  });

  it('refuses an --older-than that is not a duration as a usage error (exit 2)', async () => {
    await expect(runCommandInProcess(sweepCommand(), ['--older-than', 'soon'], CREDENTIALS)).rejects.toBeInstanceOf(ConfigError);
  });
});
