import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineCheck, type AnyCheck } from '../../src/check/define.js';
import { TransientError } from '../../src/check/errors.js';
import { Redactor } from '../../src/redact.js';
import type { RunReporter } from '../../src/report/reporter.js';
import { runChecks, type PlannedRunCheck, type RunRequest } from '../../src/runner/run.js';
import { ROOT_URL, mockPreflight } from '../support/deployment.js';

const CREDENTIALS = { clientId: 'tester', accessToken: 'sekrit-token-value' };

function plan(...checks: AnyCheck[]): PlannedRunCheck[] {
  return checks.map((check) => ({ check, params: {} }));
}

async function run(checks: PlannedRunCheck[], extra: { concurrency?: number; signal?: AbortSignal; reporters?: RunReporter[]; credentials?: typeof CREDENTIALS | undefined; pulse?: { namespace: string }; maintenance?: RunRequest['maintenance'] } = {}) {
  const redactor = new Redactor();
  redactor.add(CREDENTIALS.accessToken);
  return runChecks({
    checks,
    rootUrl: ROOT_URL,
    credentials: 'credentials' in extra ? extra.credentials : CREDENTIALS,
    concurrency: extra.concurrency ?? 8,
    reporters: extra.reporters ?? [],
    redactor,
    toolVersion: '0.0.0-test',
    pulse: extra.pulse as RunRequest['pulse'],
    signal: extra.signal,
    maintenance: extra.maintenance,
  });
}

const quick = { retry: { retries: 1, minDelay: '1ms' } };

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('runner outcomes', () => {
  it('records a passing check with its steps, metrics and resources, and the deployment version', async () => {
    mockPreflight();
    const check = defineCheck({
      id: 'test.pass', description: 'passes',
      async run(ctx) {
        await ctx.step('first', async () => 1);
        ctx.resource('task', 'abc');
        ctx.metric('latency_ms', 5, { unit: 'ms', limit: 10 });
      },
    });
    const result = await run(plan(check));
    expect(result.outcome).toBe('passed');
    expect(result.deployment.version).toBe('74.0.0');
    const [checkResult] = result.checks;
    expect(checkResult).toMatchObject({ id: 'test.pass', outcome: 'passed', resources: [{ type: 'task', id: 'abc' }], metrics: { latency_ms: { value: 5, unit: 'ms', limit: 10, ok: true } } });
    expect(checkResult!.steps.map((s) => s.name)).toEqual(['first']);
    expect(checkResult!.attempts).toHaveLength(1);
  });

  it('fails on an assertion without retrying, naming the failing step', async () => {
    mockPreflight();
    let attempts = 0;
    const check = defineCheck({
      id: 'test.assert', description: 'fails', ...quick,
      async run(ctx) {
        attempts += 1;
        await ctx.step('look', async () => ctx.fail('wrong answer'));
      },
    });
    const [result] = (await run(plan(check))).checks;
    expect(attempts).toBe(1);
    expect(result).toMatchObject({ outcome: 'failed', error: { kind: 'assertion', message: 'wrong answer', step: 'look' } });
  });

  it('fails a check whose metric exceeds its limit, saying by how much', async () => {
    mockPreflight();
    const check = defineCheck({ id: 'test.sla', description: 'slow', async run(ctx) { ctx.metric('claim_latency_ms', 75_000, { unit: 'ms', limit: 60_000 }); } });
    const runResult = await run(plan(check));
    expect(runResult.outcome).toBe('failed');
    expect(runResult.checks[0]).toMatchObject({ outcome: 'failed', error: { kind: 'sla' }, metrics: { claim_latency_ms: { ok: false } } });
    expect(runResult.checks[0]!.error!.message).toContain('claim_latency_ms 75000 ms > limit 60000 (+15000)');
  });

  it('retries a transient error and reports a later pass as flaky, keeping every attempt', async () => {
    mockPreflight();
    let attempts = 0;
    const check = defineCheck({
      id: 'test.flaky', description: 'flaky', ...quick,
      async run() {
        attempts += 1;
        if (attempts === 1) throw Object.assign(new Error('Internal Server Error'), { statusCode: 500 });
      },
    });
    const runResult = await run(plan(check));
    expect(runResult.outcome).toBe('passed');
    const [result] = runResult.checks;
    expect(result!.outcome).toBe('flaky');
    expect(result!.attempts.map((a) => a.outcome)).toEqual(['error', 'passed']);
    expect(result!.attempts[0]!.error).toMatchObject({ kind: 'transient', statusCode: 500 });
  });

  it('gives up after the retry budget and reports the infrastructure error', async () => {
    mockPreflight();
    const check = defineCheck({ id: 'test.down', description: 'down', retry: { retries: 2, minDelay: '1ms' }, async run() { throw new TransientError('connection refused', { code: 'ECONNREFUSED', url: 'https://x/ping' }); } });
    const [result] = (await run(plan(check))).checks;
    expect(result).toMatchObject({ outcome: 'error', error: { kind: 'transient', code: 'ECONNREFUSED', url: 'https://x/ping' } });
    expect(result!.attempts).toHaveLength(3);
  });

  it('reports a crash (4xx, bug) as an error without retrying', async () => {
    mockPreflight();
    let attempts = 0;
    const check = defineCheck({ id: 'test.crash', description: 'crash', ...quick, async run() { attempts += 1; throw Object.assign(new Error('Forbidden'), { statusCode: 403, code: 'InsufficientScopes' }); } });
    const [result] = (await run(plan(check))).checks;
    expect(attempts).toBe(1);
    expect(result).toMatchObject({ outcome: 'error', error: { kind: 'crash', code: 'InsufficientScopes', statusCode: 403 } });
  });

  it('skips a check that calls ctx.skip, with its reason', async () => {
    mockPreflight();
    const check = defineCheck({ id: 'test.skip', description: 'n/a', async run(ctx) { ctx.skip('no cloud workers'); } });
    const [result] = (await run(plan(check))).checks;
    expect(result).toMatchObject({ outcome: 'skipped', skipReason: 'no cloud workers' });
  });
});

describe('timeouts and cleanup', () => {
  it('times a check out as an error naming the step, and still runs its cleanups', async () => {
    mockPreflight();
    const cleaned: string[] = [];
    const check = defineCheck({
      id: 'test.timeout', description: 'hangs', timeout: '50ms', retry: { retries: 0 },
      async run(ctx) {
        ctx.defer('remove thing', async () => { cleaned.push('thing'); });
        await ctx.step('wait forever', () => new Promise(() => {}));
      },
    });
    const [result] = (await run(plan(check))).checks;
    expect(result).toMatchObject({ outcome: 'error', error: { kind: 'timeout', step: 'wait forever' } });
    expect(result!.error!.message).toContain('timed out after 50ms');
    expect(cleaned).toEqual(['thing']);
    expect(result!.steps.map((s) => s.name)).toContain('cleanup: remove thing');
  });

  it('runs cleanups last-registered first after success and after failure', async () => {
    mockPreflight();
    const order: string[] = [];
    const make = (id: string, fail: boolean) => defineCheck({
      id, description: id,
      async run(ctx) {
        ctx.defer('first', async () => { order.push(`${id}:first`); });
        ctx.defer('second', async () => { order.push(`${id}:second`); });
        if (fail) ctx.fail('nope');
      },
    });
    await run(plan(make('test.ok', false)), { concurrency: 1 });
    mockPreflight();
    await run(plan(make('test.bad', true)), { concurrency: 1 });
    expect(order).toEqual(['test.ok:second', 'test.ok:first', 'test.bad:second', 'test.bad:first']);
  });

  it('takes an unnamed cleanup too, reporting it by its function\'s name or else its place', async () => {
    mockPreflight();
    const order: string[] = [];
    async function releaseLease() { order.push('lease'); }
    const check = defineCheck({
      id: 'test.unnamed', description: 'unnamed cleanups',
      async run(ctx) {
        ctx.defer(async () => { order.push('anonymous'); });
        ctx.defer(releaseLease);
      },
    });
    const { checks: [result] } = await run(plan(check), { concurrency: 1 });
    expect(order).toEqual(['lease', 'anonymous']);
    expect(result!.steps.map((s) => s.name)).toEqual(['cleanup: releaseLease', 'cleanup: cleanup 1']);
  });

  it('turns a passing check whose cleanup fails into an error, so nothing is silently left behind', async () => {
    mockPreflight();
    const check = defineCheck({ id: 'test.leak', description: 'leaks', retry: { retries: 0 }, async run(ctx) { ctx.defer('cancel task', async () => { throw new Error('queue said no'); }); } });
    const [result] = (await run(plan(check))).checks;
    expect(result!.outcome).toBe('error');
    expect(result!.error!.message).toContain('cleanup "cancel task" failed: queue said no');
  });

  it('on interruption stops running checks (cleaning up) and skips those not started', async () => {
    mockPreflight();
    const controller = new AbortController();
    const cleaned: string[] = [];
    const running = defineCheck({
      id: 'test.running', description: 'long',
      async run(ctx) {
        ctx.defer('cleanup', async () => { cleaned.push('running'); });
        setTimeout(() => controller.abort(), 20);
        await ctx.sleep(10_000);
      },
    });
    const waiting = defineCheck({ id: 'test.waiting', description: 'queued', async run() {} });
    const result = await run(plan(running, waiting), { concurrency: 1, signal: controller.signal });
    expect(result.checks[0]).toMatchObject({ outcome: 'error', error: { kind: 'aborted' } });
    expect(result.checks[1]).toMatchObject({ outcome: 'skipped', skipReason: 'the run was interrupted before this check started' });
    expect(cleaned).toEqual(['running']);
  });
});

describe('ordering, concurrency and skips', () => {
  it('skips a check whose dependency did not pass, and still runs the others', async () => {
    mockPreflight();
    const ran: string[] = [];
    const parent = defineCheck({ id: 'test.parent', description: 'p', async run(ctx) { ran.push('parent'); ctx.fail('broken'); } });
    const child = defineCheck({ id: 'test.child', description: 'c', dependsOn: ['test.parent'], async run() { ran.push('child'); } });
    const other = defineCheck({ id: 'test.other', description: 'o', async run() { ran.push('other'); } });
    const result = await run(plan(child, parent, other));
    expect(ran.sort()).toEqual(['other', 'parent']);
    expect(result.checks.find((c) => c.id === 'test.child')).toMatchObject({ outcome: 'skipped', skipReason: 'dependency test.parent did not pass (failed)' });
    expect(result.checks.find((c) => c.id === 'test.other')!.outcome).toBe('passed');
    expect(result.summary).toEqual({ passed: 1, flaky: 0, failed: 1, error: 0, skipped: 1 });
  });

  it('starts a dependent check only after its dependency ended', async () => {
    mockPreflight();
    const events: string[] = [];
    const parent = defineCheck({ id: 'test.first', description: 'p', async run(ctx) { await ctx.sleep(20); events.push('parent done'); } });
    const child = defineCheck({ id: 'test.second', description: 'c', dependsOn: ['test.first'], async run() { events.push('child start'); } });
    await run(plan(child, parent));
    expect(events).toEqual(['parent done', 'child start']);
  });

  it('never runs more checks at once than the concurrency cap', async () => {
    mockPreflight();
    let active = 0;
    let peak = 0;
    const checks = Array.from({ length: 10 }, (_, i) => defineCheck({
      id: `test.c${i}`, description: 'c',
      async run(ctx) { active += 1; peak = Math.max(peak, active); await ctx.sleep(10); active -= 1; },
    }));
    await run(plan(...checks), { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it('skips a check lacking scopes, naming the missing ones, without calling it', async () => {
    mockPreflight({ scopes: ['queue:create-task:highest:built-in/*'] });
    let called = false;
    const check = defineCheck({
      id: 'test.scoped', description: 's',
      scopes: { AllOf: ['queue:create-task:highest:built-in/succeed', 'secrets:set:project/tc-canary/*'] },
      async run() { called = true; },
    });
    const [result] = (await run(plan(check))).checks;
    expect(called).toBe(false);
    expect(result).toMatchObject({ outcome: 'skipped', skipReason: 'missing scopes: secrets:set:project/tc-canary/*' });
  });

  it('runs checks without a preflight when the scopes cannot be read for any reason, saying why', async () => {
    mockPreflight({ currentScopesStatus: 500 });
    let called = false;
    const check = defineCheck({ id: 'test.scoped', description: 's', scopes: 'secrets:get:x', async run() { called = true; } });
    const result = await run(plan(check));
    expect(called).toBe(true);
    expect(result.preflight).toEqual({ scopes: 'unreadable', scopesProblem: 'auth.currentScopes() failed (500): no', serverClockOffsetMs: 0 });
  });

  it('without credentials, skips checks that need more than anonymous access', async () => {
    mockPreflight({ scopes: [] });
    const check = defineCheck({ id: 'test.anon', description: 'a', scopes: 'secrets:get:x', async run() {} });
    const open = defineCheck({ id: 'test.open', description: 'o', async run() {} });
    const result = await run(plan(check, open), { credentials: undefined });
    expect(result.checks[0]!.skipReason).toBe('needs credentials (anonymous access lacks secrets:get:x)');
    expect(result.checks[1]!.outcome).toBe('passed');
  });

  it('skips Pulse checks when no Pulse is configured, and reports config exclusions as skipped', async () => {
    mockPreflight();
    const pulseCheck = defineCheck({ id: 'test.pulse', description: 'p', requires: ['pulse'], async run() {} });
    const excluded = defineCheck({ id: 'test.excluded', description: 'e', async run() {} });
    const result = await run([{ check: pulseCheck, params: {} }, { check: excluded, params: {}, excludedReason: 'excluded by checks.exclude (test.excluded)' }]);
    expect(result.checks[0]!.skipReason).toMatch(/^no Pulse configured/);
    expect(result.checks[1]!.skipReason).toBe('excluded by checks.exclude (test.excluded)');
  });

  it('tells reporters about the run, each check start and end, in order', async () => {
    mockPreflight();
    const events: string[] = [];
    const reporter: RunReporter = {
      onRunStart: (p) => { events.push(`run start ${p.checks.length}`); },
      onCheckStart: (id) => { events.push(`start ${id}`); },
      onCheckEnd: (r) => { events.push(`end ${r.id} ${r.outcome}`); },
      onRunEnd: (r) => { events.push(`run end ${r.outcome}`); },
    };
    await run(plan(defineCheck({ id: 'test.one', description: 'one', async run() {} })), { reporters: [reporter] });
    expect(events).toEqual(['run start 1', 'start test.one', 'end test.one passed', 'run end passed']);
  });

  it('starts the run after the preflight, so reporters know the deployment version', async () => {
    mockPreflight();
    let version: string | null | undefined;
    await run(plan(defineCheck({ id: 'test.one', description: 'one', async run() {} })), { reporters: [{ onRunStart: (p) => { version = p.deploymentVersion; } }] });
    expect(version).toBe('74.0.0');
  });

  it('leaves no listener on the caller\'s signal, so a long-lived service signal does not accumulate them', async () => {
    const service = new AbortController();
    let listening = 0;
    const { addEventListener, removeEventListener } = service.signal;
    service.signal.addEventListener = ((...args: Parameters<typeof addEventListener>) => { listening += 1; return addEventListener.apply(service.signal, args); }) as typeof addEventListener;
    service.signal.removeEventListener = ((...args: Parameters<typeof removeEventListener>) => { listening -= 1; return removeEventListener.apply(service.signal, args); }) as typeof removeEventListener;
    for (let i = 0; i < 3; i++) {
      mockPreflight();
      await run(plan(defineCheck({ id: 'test.one', description: 'one', async run(ctx) { await ctx.sleep(1); } })), { signal: service.signal });
    }
    expect(listening).toBe(0);
  });
});

describe('maintenance windows', () => {
  it('marks the results of checks that started inside a window, and only those, still running them', async () => {
    mockPreflight();
    const ran: string[] = [];
    const inWindow = defineCheck({ id: 'queue.a', description: 'a', async run(ctx) { ran.push('a'); ctx.fail('broken during the upgrade'); } });
    const outside = defineCheck({ id: 'index.b', description: 'b', async run() { ran.push('b'); } });
    const result = await run(plan(inWindow, outside), {
      maintenance: (id) => (id.startsWith('queue.') ? { reason: 'queue upgrade', until: '2026-11-29T14:00:00.000Z' } : undefined),
    });
    expect(ran.sort()).toEqual(['a', 'b']);
    expect(result.checks[0]).toMatchObject({ outcome: 'failed', maintenance: { reason: 'queue upgrade', until: '2026-11-29T14:00:00.000Z' } });
    expect(result.checks[1]!.maintenance).toBeUndefined();
  });
});

describe('failing steps', () => {
  it('names each check\'s own step when one error reaches several checks (a shared connection failing)', async () => {
    mockPreflight();
    const shared = new Error('connection refused the login');
    const first = defineCheck({ id: 'test.a', description: 'a', retry: { retries: 0 }, async run(ctx) { await ctx.step('subscribe to notifications', async () => { throw shared; }); } });
    const second = defineCheck({ id: 'test.b', description: 'b', dependsOn: ['test.a'], retry: { retries: 0 }, async run(ctx) { await ctx.step('subscribe to task events', async () => { throw shared; }); } });
    const independent = { ...second, dependsOn: [] };
    const result = await run(plan(first, independent), { concurrency: 1 });
    expect(result.checks.map((c) => c.error?.step)).toEqual(['subscribe to notifications', 'subscribe to task events']);
  });
});

describe('redaction', () => {
  it('removes the access token from logs, errors and step errors', async () => {
    mockPreflight();
    const check = defineCheck({
      id: 'test.leaky', description: 'leaks', retry: { retries: 0 },
      async run(ctx) {
        ctx.log(`using token ${CREDENTIALS.accessToken}`);
        await ctx.step('echo', async () => { throw new Error(`bad token ${CREDENTIALS.accessToken}`); });
      },
    });
    const result = await run(plan(check));
    const text = JSON.stringify(result);
    expect(text).not.toContain(CREDENTIALS.accessToken);
    expect(result.checks[0]!.error!.message).toBe('bad token ***');
  });
});
