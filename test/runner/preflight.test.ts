// The preflight asks only for what the run uses: the scopes when one of its checks needs some (or when the
// preflight is shared by many runs), and /__version__ unless the caller already asked for it.

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import { Redactor } from '../../src/redact.js';
import { cachedPreflight } from '../../src/runner/preflight-cache.js';
import { runChecks, type RunRequest } from '../../src/runner/run.js';
import { ROOT_URL, fixture, mockPreflight, versionBody } from '../support/deployment.js';

const unscoped = defineCheck({ id: 'test.unscoped', description: 'needs no scopes', async run() {} });
const scoped = defineCheck({ id: 'test.scoped', description: 'needs a scope', scopes: 'secrets:get:project/tc-canary/x', async run() {} });

function run(checks: RunRequest['checks'], extra: Partial<RunRequest> = {}) {
  return runChecks({
    checks, rootUrl: ROOT_URL, credentials: { clientId: 'tester', accessToken: 'token-123456' }, concurrency: 2, reporters: [],
    redactor: new Redactor(), toolVersion: '0.0.0-test', ...extra,
  });
}

const askedForScopes = () => !nock.pendingMocks().some((mock) => mock.endsWith('/api/auth/v1/scopes/current'));
const askedForVersion = () => !nock.pendingMocks().some((mock) => mock.endsWith('/__version__'));

beforeEach(() => { nock.disableNetConnect(); });
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('preflight', () => {
  it('asks for the scopes only when a check of the run needs some', async () => {
    mockPreflight();
    const unscopedRun = await run([{ check: unscoped, params: {} }]);
    expect(unscopedRun.outcome).toBe('passed');
    expect(askedForScopes()).toBe(false);
    expect(askedForVersion()).toBe(true);

    nock.cleanAll();
    mockPreflight({ scopes: [] });
    const [result] = (await run([{ check: scoped, params: {} }])).checks;
    expect(askedForScopes()).toBe(true);
    expect(result).toMatchObject({ outcome: 'skipped', skipReason: 'missing scopes: secrets:get:project/tc-canary/x' });
  });

  it('asks for the scopes beside the version, not once it has answered', async () => {
    // /__version__ answers only once the scopes request has arrived (or after a second, to fail plainly).
    let scopesAsked!: () => void;
    const scopesArrived = new Promise<void>((resolve) => { scopesAsked = resolve; });
    let scopesArrivedYet = false;
    let scopesBeforeVersion: boolean | undefined;
    nock(ROOT_URL).get('/__version__').reply((_uri, _body, callback) => {
      void Promise.race([scopesArrived, new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => {
        scopesBeforeVersion = scopesArrivedYet;
        callback(null, [200, versionBody(), { 'content-type': 'application/json' }]);
      });
    });
    nock(ROOT_URL).get('/api/auth/v1/scopes/current').reply(() => {
      scopesArrivedYet = true;
      scopesAsked();
      return [200, { scopes: fixture('auth-currentScopes.json').scopes }];
    });
    const result = await run([{ check: scoped, params: {} }]);
    expect(scopesBeforeVersion).toBe(true);
    expect(result.preflight.scopes).toBe('read');
  });

  it('does not ask for scopes for a check the config excludes', async () => {
    mockPreflight();
    await run([{ check: scoped, params: {}, excludedReason: 'excluded by checks.exclude (test.scoped)' }]);
    expect(askedForScopes()).toBe(false);
  });

  it('asks for the scopes in a preflight shared by many runs, whatever the first run checks', async () => {
    mockPreflight();
    await run([{ check: unscoped, params: {} }], { preflight: cachedPreflight(60_000) });
    expect(askedForScopes()).toBe(true);
  });

  it('takes the version its caller asked for before the run instead of asking again', async () => {
    mockPreflight();
    const result = await run([{ check: unscoped, params: {} }], { deploymentVersion: Promise.resolve({ deploymentVersion: '75.1.0', serverClockOffsetMs: 0 }) });
    expect(result.deployment.version).toBe('75.1.0');
    expect(askedForVersion()).toBe(false);
  });

  it('does not wait for an early version answer once the run is interrupted', async () => {
    const interrupted = new AbortController();
    const never = new Promise<never>(() => {});
    setTimeout(() => interrupted.abort(), 50);
    const result = await run([{ check: unscoped, params: {} }], { deploymentVersion: never, signal: interrupted.signal });
    expect(result.deployment.version).toBeNull();
    expect(result.checks[0]).toMatchObject({ outcome: 'skipped', skipReason: 'the run was interrupted before this check started' });
  });
});
