import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCheck, type AnyCheck } from '../../src/check/define.js';
import { Redactor } from '../../src/redact.js';
import type { RunReporter } from '../../src/report/reporter.js';
import { runChecks } from '../../src/runner/run.js';
import { fixture, ROOT_URL, versionBody } from '../support/deployment.js';

const CREDENTIALS = { clientId: 'tester', accessToken: 'sekrit-token-value' };
const HOUR_MS = 3_600_000;

/** What happened, in order: the run's events as reporters saw them, and the marks the test's checks leave. */
let events: string[];

/**
 * The preflight's /__version__, answered (with the deployment's clock an hour ahead of ours) once `release`
 * is called, or after a second: a check that waited for it would then still run, only after it.
 */
function heldPreflight(options: { scopes?: string[] } = {}): { release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  nock(ROOT_URL).get('/__version__').reply((_uri, _body, callback) => {
    void Promise.race([released, new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => {
      events.push('preflight answered');
      callback(null, [200, versionBody(), { 'content-type': 'application/json', date: new Date(Date.now() + HOUR_MS).toUTCString() }]);
    });
  });
  nock(ROOT_URL).get('/api/auth/v1/scopes/current').reply(200, { scopes: options.scopes ?? fixture('auth-currentScopes.json').scopes }, { 'content-type': 'application/json' });
  return { release };
}

const reporter: RunReporter = {
  onRunStart: () => { events.push('run start reported'); },
  onCheckStart: (id) => { events.push(`${id} start reported`); },
  onCheckEnd: (result) => { events.push(`${result.id} end reported`); },
};

function run(checks: AnyCheck[], credentials: typeof CREDENTIALS | undefined = undefined) {
  return runChecks({
    checks: checks.map((check) => ({ check, params: {} })), rootUrl: ROOT_URL, credentials,
    concurrency: 4, reporters: [reporter], redactor: new Redactor(), toolVersion: '0.0.0-test',
  });
}

beforeEach(() => {
  events = [];
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('checks that start before the preflight', () => {
  it('run while the preflight is asked, are reported after the run start, and are stamped with the deployment\'s time', async () => {
    const preflight = heldPreflight();
    const check = defineCheck({
      id: 'test.early', description: 'needs nothing the preflight answers', startsBeforePreflight: true,
      async run() {
        events.push('test.early ran');
        preflight.release();
      },
    });
    const before = Date.now();
    const result = await run([check]);
    expect(result.checks[0]!.outcome).toBe('passed');
    expect(events).toEqual(['test.early ran', 'preflight answered', 'run start reported', 'test.early start reported', 'test.early end reported']);
    // Ran on our clock, recorded on the deployment's, an hour ahead.
    expect(Date.parse(result.checks[0]!.startedAt) - before).toBeGreaterThan(HOUR_MS - 60_000);
    expect(result.preflight.serverClockOffsetMs).toBeGreaterThan(HOUR_MS - 60_000);
  });

  it('leaves every other check waiting for the preflight', async () => {
    const preflight = heldPreflight();
    const early = defineCheck({ id: 'test.early', description: 'early', startsBeforePreflight: true, async run() { preflight.release(); } });
    const late = defineCheck({ id: 'test.late', description: 'waits', async run() { events.push('test.late ran'); } });
    await run([late, early]);
    expect(events.indexOf('test.late ran')).toBeGreaterThan(events.indexOf('preflight answered'));
  });

  it('waits for the preflight when the check needs scopes, so that missing ones still skip it', async () => {
    heldPreflight({ scopes: [] });
    const check = defineCheck({
      id: 'test.scoped', description: 'needs a scope', startsBeforePreflight: true, scopes: 'queue:create-task:tc-canary/x',
      async run() { events.push('test.scoped ran'); },
    });
    const result = await run([check], CREDENTIALS);
    expect(events).not.toContain('test.scoped ran');
    expect(result.checks[0]).toMatchObject({ outcome: 'skipped', skipReason: 'missing scopes: queue:create-task:tc-canary/x' });
  });

  it('errors, naming why, when such a check asks for the deployment\'s clock', async () => {
    const preflight = heldPreflight();
    const check = defineCheck({
      id: 'test.clock', description: 'reads the deployment clock', startsBeforePreflight: true, retry: { retries: 0 },
      async run(ctx) {
        preflight.release();
        ctx.serverNow();
      },
    });
    const [result] = (await run([check])).checks;
    expect(result!.outcome).toBe('error');
    expect(result!.error!.message).toBe("test.clock starts before the preflight (startsBeforePreflight): it cannot use the deployment's clock");
  });
});
