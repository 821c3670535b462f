import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import { Redactor } from '../../src/redact.js';
import type { ScheduledCheck } from '../../src/scheduler/check-jobs.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { FakeDeployment } from '../support/fake-deployment.js';

const EVERY_SECOND = '* * * * * *';

const checks: ScheduledCheck[] = [
  {
    check: defineCheck({
      id: 'test.passes', description: 'always passes', tags: ['test'],
      async run(ctx) {
        await ctx.step('measure', async () => undefined);
        ctx.metric('claim_latency_ms', 1500, { unit: 'ms', limit: 60_000 });
      },
    }),
    params: {},
    cron: EVERY_SECOND,
  },
  {
    check: defineCheck({
      id: 'pool.proj/workers.claim', description: 'fails its SLA', tags: ['test'],
      async run(ctx) {
        ctx.metric('pending', 12, { unit: 'count', limit: 10 });
      },
    }),
    params: {},
    cron: EVERY_SECOND,
  },
];

let deployment: FakeDeployment;
let service: RunningService;
let dir: string;
const logLines: string[] = [];

const get = (urlPath: string, init?: RequestInit) => fetch(`${service.url}${urlPath}`, init);

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; service log:\n${logLines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  deployment = await FakeDeployment.start();
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-service-'));
  service = await startService({
    checks,
    rootUrl: deployment.rootUrl,
    credentials: undefined,
    redactor: new Redactor(),
    concurrency: 4,
    historySpec: `sqlite:${path.join(dir, 'history.db')}`,
    listen: { host: '127.0.0.1', port: 0 },
    log: (line) => logLines.push(line),
    startupSpreadCapMs: 1,
  });
  // Both checks have a result once /status.json knows no check as unknown.
  await eventually(async () => {
    const body = await (await get('/status.json')).json();
    return body.summary.unknown === 0 ? body : undefined;
  });
});

afterAll(async () => {
  await service?.stop();
  await deployment?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /status.json', () => {
  it('answers 503 with every check, its latest outcome, metrics against limits and last error, valid against the schema', async () => {
    const response = await get('/status.json');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    const schema = JSON.parse(readFileSync(new URL('../../docs/status.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body).toMatchObject({ status: 'failing', success: false, rootUrl: deployment.rootUrl, summary: { checks: 2, up: 1, down: 1, unknown: 0 } });
    const byId = (id: string) => body.checks.find((check: { id: string }) => check.id === id);
    const [passing, failing] = [byId('test.passes'), byId('pool.proj/workers.claim')];
    expect(passing).toMatchObject({
      id: 'test.passes', success: true, health: 'up', outcome: 'passed', consecutiveFailures: 0, lastError: null,
      metrics: { claim_latency_ms: { value: 1500, unit: 'ms', limit: 60_000, ok: true } }, schedule: EVERY_SECOND,
    });
    expect(passing.uptime['24h'].ratio).toBe(1);
    expect(failing).toMatchObject({ id: 'pool.proj/workers.claim', success: false, health: 'down', outcome: 'failed', metrics: { pending: { value: 12, limit: 10, ok: false } } });
    expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(failing.lastError.message).toMatch(/pending/);
    expect(Date.parse(failing.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
  });
});

describe('GET /checks/<id>', () => {
  it('takes everything after /checks/ as the id, slashes and encoded slashes alike, 200 when it passes', async () => {
    expect((await get('/checks/test.passes')).status).toBe(200);
    for (const pathname of ['/checks/pool.proj/workers.claim', '/checks/pool.proj%2Fworkers.claim']) {
      const response = await get(pathname);
      expect(response.status).toBe(503);
      expect((await response.json()).id).toBe('pool.proj/workers.claim');
    }
  });

  it('answers 404 JSON for a check it does not run', async () => {
    const response = await get('/checks/nope.nothing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).error).toMatch(/nope\.nothing/);
  });
});

describe('Dockerflow', () => {
  it('answers /__lbheartbeat__ 200, /__heartbeat__ with the scheduler and history ok, /__version__ with its four fields', async () => {
    expect((await get('/__lbheartbeat__')).status).toBe(200);
    const heartbeat = await get('/__heartbeat__');
    expect(heartbeat.status).toBe(200);
    expect(await heartbeat.json()).toMatchObject({ status: 'ok', checks: { scheduler: 'ok', history: 'ok' }, details: { history: { writable: true } } });
    const version = await (await get('/__version__')).json();
    expect(Object.keys(version).sort()).toEqual(['build', 'commit', 'source', 'version']);
  });
});

describe('GET /metrics', () => {
  it('exposes probe_success, probe_duration_seconds, metric gauges in seconds and results by outcome', async () => {
    const response = await get('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('probe_success{check="test.passes"} 1');
    expect(text).toContain('probe_success{check="pool.proj/workers.claim"} 0');
    expect(text).toMatch(/probe_duration_seconds\{check="test.passes"\} \d/);
    expect(text).toContain('tc_canary_claim_latency_seconds{check="test.passes"} 1.5');
    expect(text).toContain('tc_canary_pending{check="pool.proj/workers.claim"} 12');
    expect(text).toMatch(/tc_canary_check_results_total\{check="pool.proj\/workers.claim",outcome="failed"\} [1-9]/);
  });

  it('exposes the scheduler\'s start delays and the process\'s own metrics', async () => {
    const text = await (await get('/metrics')).text();
    expect(Number(/^tc_canary_scheduler_start_delay_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^tc_canary_scheduler_start_delay_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});

describe('HTTP', () => {
  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await get('/status.json', { method: 'HEAD' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('serves the dashboard at / and, for browsers, at /checks/<id>, with the next run from the scheduler; JSON stays the default', async () => {
    const html = { headers: { Accept: 'text/html' } };
    const overview = await get('/', html);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await overview.text();
    expect(page).toMatch(/data-check="test\.passes" data-outcome="passed"/);
    expect(page).toMatch(/data-check="pool\.proj\/workers\.claim" data-outcome="failed"/);
    const checkPage = await (await get('/checks/test.passes', html)).text();
    expect(checkPage).toContain('<h1>test.passes</h1>');
    expect(checkPage).toMatch(/<code>\* \* \* \* \* \*<\/code> · next run /);
    const json = await get('/checks/test.passes');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses other methods with 405 and a Content-Type, and answers unknown paths 404 JSON', async () => {
    const post = await get('/status.json', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await get('/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('log', () => {
  it('says each outcome', () => {
    expect(logLines.some((line) => /PASS\s+test\.passes/.test(line))).toBe(true);
    expect(logLines.some((line) => /FAIL\s+pool\.proj\/workers\.claim/.test(line))).toBe(true);
  });
});
