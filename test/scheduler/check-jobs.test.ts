import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import type { CheckResult } from '../../src/check/result.js';
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

function jobsOf(count: number, clock: { now(): number }) {
  const plans: RunPlan[] = [];
  const results: CheckResult[] = [];
  const checks = Array.from({ length: count }, (_, i) => ({
    check: defineCheck({ id: `test.noop-${i}`, description: 'does nothing', async run() {} }),
    params: {},
    cron: '* * * * *',
  }));
  const jobs = checkJobs(checks, {
    rootUrl: deployment.rootUrl,
    credentials: undefined,
    redactor: new Redactor(),
    toolVersion: 'test',
    reporters: () => [{ onRunStart: (plan) => { plans.push(plan); }, onCheckEnd: (result) => { results.push(result); } }],
    latest: async () => [],
    signal: new AbortController().signal,
    clock,
  });
  return { jobs, plans, results };
}

describe('scheduled check runs', () => {
  it('share one preflight for a minute: firings make no preflight call while a recent one exists, then refresh it', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { jobs, plans, results } = jobsOf(3, { now: () => now });
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
});
