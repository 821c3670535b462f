import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import type { CheckResult } from '../../src/check/result.js';
import type { LatestResult } from '../../src/history/store.js';
import { Redactor } from '../../src/redact.js';
import type { RunPlan } from '../../src/report/reporter.js';
import { checkJobs } from '../../src/scheduler/check-jobs.js';
import { FakeDeployment } from '../support/fake-deployment.js';

let deployment: FakeDeployment;
beforeAll(async () => {
  deployment = await FakeDeployment.start();
});
afterAll(async () => {
  await deployment?.close();
});

const PREFLIGHT_PATHS = ['/api/auth/v1/scopes/current', '/__version__'];

interface JobsOptions {
  clock: { now(): number };
  dependsOn?: string[];
  latest?: () => Promise<LatestResult[]>;
}

function jobsOf(count: number, { clock, dependsOn, latest = async () => [] }: JobsOptions) {
  const plans: RunPlan[] = [];
  const results: CheckResult[] = [];
  const checks = Array.from({ length: count }, (_, i) => ({
    check: defineCheck({ id: `test.noop-${i}`, description: 'does nothing', ...(dependsOn && { dependsOn }), async run() {} }),
    params: {},
    cron: '* * * * *',
  }));
  const jobs = checkJobs(checks, {
    rootUrl: deployment.rootUrl,
    credentials: undefined,
    redactor: new Redactor(),
    toolVersion: 'test',
    reporters: () => [{ onRunStart: (plan) => { plans.push(plan); }, onCheckEnd: (result) => { results.push(result); } }],
    latest,
    signal: new AbortController().signal,
    clock,
  });
  return { jobs, plans, results };
}

describe('scheduled check runs', () => {
  it('share one preflight for a minute: firings make no preflight call while a recent one exists, then refresh it', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { jobs, plans, results } = jobsOf(3, { clock: { now: () => now } });
    const preflightCalls = () => deployment.requests.filter((request) => PREFLIGHT_PATHS.includes(request.path)).length;
    const before = preflightCalls();

    for (let minute = 0; minute < 3; minute += 1) {
      // Three firings of each check within the minute, the first ones concurrently.
      await Promise.all(jobs.map((job) => job.run(new Date(now))));
      now += 20_000;
      for (const job of jobs) await job.run(new Date(now));
      now += 20_000;
      for (const job of jobs) await job.run(new Date(now));
      now += 20_001;
      expect(preflightCalls() - before).toBe(PREFLIGHT_PATHS.length * (minute + 1));
    }

    expect(results).toHaveLength(3 * 3 * 3);
    expect(results.every((result) => result.outcome === 'passed')).toBe(true);
    // Every run still records the deployment's version, from the shared preflight.
    expect(plans).toHaveLength(27);
    expect(new Set(plans.map((plan) => plan.deploymentVersion))).toEqual(new Set([expect.stringMatching(/\S/)]));
  });

  it('skips a check whose dependency\'s latest result did not pass, naming it, and runs it once the dependency passes', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    let dependency = latestOf('test.dependency', 'failed', now);
    const { jobs, results } = jobsOf(1, { clock: { now: () => now }, dependsOn: ['test.dependency'], latest: async () => [dependency] });
    await jobs[0]!.run(new Date(now));
    expect(results[0]).toMatchObject({ id: 'test.noop-0', outcome: 'skipped', skipReason: 'dependency test.dependency did not pass (failed at 2030-01-01T00:00:00.000Z)' });
    now += 60_000;
    dependency = latestOf('test.dependency', 'passed', now);
    await jobs[0]!.run(new Date(now));
    expect(results[1]).toMatchObject({ id: 'test.noop-0', outcome: 'passed' });
  });

  it('skips a check whose dependency was skipped, as a one-shot run does', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const { jobs, results } = jobsOf(1, { clock: { now: () => now }, dependsOn: ['test.dependency'], latest: async () => [latestOf('test.dependency', 'skipped', now)] });
    await jobs[0]!.run(new Date(now));
    expect(results[0]).toMatchObject({ outcome: 'skipped', skipReason: 'dependency test.dependency was skipped at 2030-01-01T00:00:00.000Z' });
  });

  it('reads the latest results once for all firings within ten seconds, and again after a failed read', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    let reads = 0;
    let failNext = false;
    const latest = async () => {
      reads += 1;
      if (failNext) {
        failNext = false;
        throw new Error('history unreadable');
      }
      return [latestOf('test.dependency', 'passed', now)];
    };
    const { jobs, results } = jobsOf(20, { clock: { now: () => now }, dependsOn: ['test.dependency'], latest });
    await Promise.all(jobs.map((job) => job.run(new Date(now))));
    now += 9_000;
    await Promise.all(jobs.map((job) => job.run(new Date(now))));
    expect(reads).toBe(1);
    now += 1_000;
    failNext = true;
    await expect(jobs[0]!.run(new Date(now))).rejects.toThrow('history unreadable');
    await jobs[1]!.run(new Date(now));
    expect(reads).toBe(3);
    expect(results.filter((result) => result.outcome === 'passed')).toHaveLength(41);
  });
});

function latestOf(checkId: string, outcome: CheckResult['outcome'], at: number): LatestResult {
  const startedAt = new Date(at).toISOString();
  return {
    checkId,
    result: { id: checkId, description: 'a dependency', tags: [], outcome, startedAt, durationMs: 1, attempts: [], steps: [], metrics: {}, resources: [], log: [] },
    health: outcome === 'passed' ? 'up' : 'down',
    since: startedAt,
    consecutiveFailures: outcome === 'passed' ? 0 : 1,
  };
}
