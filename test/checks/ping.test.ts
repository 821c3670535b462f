import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ping } from '../../checks/ping.js';
import { deploymentVersion } from '../../checks/deployment-version.js';
import type { AnyCheck } from '../../src/check/define.js';
import { defaultParams } from '../../src/check/params.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, fixture, mockPreflight, versionBody } from '../support/deployment.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const [pingQueue] = ping({ services: ['queue'], pools: [] });

/** The queue's real v74 answers for ping and its Dockerflow endpoints. */
function healthyQueue(options: { except?: string } = {}): nock.Scope {
  const heartbeats = fixture('service-heartbeats.json').queue;
  const scope = nock(ROOT_URL);
  const routes: Array<[string, unknown]> = [
    ['ping', fixture('ping.json').queue],
    ['__lbheartbeat__', {}],
    ['__heartbeat__', heartbeats.heartbeat.body],
    ['__version__', heartbeats.version],
  ];
  for (const [route, body] of routes) {
    if (route !== options.except) scope.get(`/api/queue/v1/${route}`).reply(200, body as nock.Body, json);
  }
  return scope;
}

async function runOne(check: AnyCheck, params: Record<string, unknown> = {}) {
  const run = await runChecks({
    checks: [{ check, params: { ...defaultParams(check.params ?? {}), ...params } }], rootUrl: ROOT_URL, credentials: undefined,
    concurrency: 1, reporters: [], redactor: new Redactor(), toolVersion: 'test',
  });
  return run.checks[0]!;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

describe('ping.<service>', () => {
  it('passes on the real v74 answers and measures the ping response time', async () => {
    mockPreflight();
    const scope = healthyQueue();
    const result = await runOne(pingQueue!);
    expect(result.outcome).toBe('passed');
    expect(result.steps.map((s) => s.name)).toEqual(['ping', '__lbheartbeat__', '__heartbeat__', '__version__']);
    expect(result.metrics.response_ms).toMatchObject({ unit: 'ms', limit: 5000, ok: true });
    expect(scope.isDone()).toBe(true);
  });

  it('asks ping and the three Dockerflow endpoints at once, one round trip instead of four', async () => {
    mockPreflight();
    const heartbeats = fixture('service-heartbeats.json').queue;
    const bodies: Record<string, unknown> = { ping: fixture('ping.json').queue, __lbheartbeat__: {}, __heartbeat__: heartbeats.heartbeat.body, __version__: heartbeats.version };
    // Each answer waits until all four requests have arrived (or a second has passed): asked one after
    // another, the first would wait out the second alone.
    const arrived: string[] = [];
    let allArrived!: () => void;
    const all = new Promise<void>((resolve) => { allArrived = resolve; });
    for (const [route, body] of Object.entries(bodies)) {
      nock(ROOT_URL).get(`/api/queue/v1/${route}`).reply((_uri, _body, callback) => {
        arrived.push(route);
        if (arrived.length === 4) allArrived();
        void Promise.race([all, new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => {
          arrivedBeforeAnyAnswer ??= [...arrived];
          callback(null, [200, body as nock.Body, json]);
        });
      });
    }
    let arrivedBeforeAnyAnswer: string[] | undefined;
    const result = await runOne(pingQueue!);
    expect(result.outcome).toBe('passed');
    expect(arrivedBeforeAnyAnswer?.sort()).toEqual(['__heartbeat__', '__lbheartbeat__', '__version__', 'ping']);
    // Judged in order whatever order the answers came in.
    expect(result.steps.map((s) => s.name)).toEqual(['ping', '__lbheartbeat__', '__heartbeat__', '__version__']);
  });

  it('cancels the Dockerflow requests still unanswered when ping fails, instead of leaving them to their timeout', async () => {
    // A loopback deployment whose Dockerflow endpoints never answer, and whose ping answers "not alive" once
    // those three requests have all arrived.
    const hanging: IncomingMessage[] = [];
    const closed: string[] = [];
    let answerPing = () => {};
    const server = createServer((request, response) => {
      if (request.url === '/__version__') return void response.writeHead(200, json).end(JSON.stringify(versionBody()));
      if (request.url === '/api/queue/v1/ping') {
        answerPing = () => response.writeHead(200, json).end(JSON.stringify({ alive: false }));
        if (hanging.length === 3) answerPing();
        return;
      }
      hanging.push(request);
      request.on('close', () => closed.push(request.url!));
      if (hanging.length === 3) answerPing();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runChecks({
        checks: [{ check: pingQueue!, params: defaultParams(pingQueue!.params ?? {}) }], rootUrl, credentials: undefined,
        concurrency: 1, reporters: [], redactor: new Redactor(), toolVersion: 'test',
      });
      expect(run.checks[0]!.outcome).toBe('failed');
      // Well within the 10 s request timeout they would otherwise wait out.
      for (let waited = 0; closed.length < hanging.length && waited < 1_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(hanging).toHaveLength(3);
      expect(closed.sort()).toEqual(['/api/queue/v1/__heartbeat__', '/api/queue/v1/__lbheartbeat__', '/api/queue/v1/__version__']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a 500 as an error with the URL and status, after retrying it', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/api/queue/v1/ping').times(2).reply(500, { code: 'InternalServerError' }, json);
    const result = await runOne({ ...pingQueue!, retry: { retries: 1, minDelay: '1ms' } });
    expect(result.outcome).toBe('error');
    expect(result.attempts).toHaveLength(2);
    expect(result.error).toMatchObject({ kind: 'transient', statusCode: 500, url: `${ROOT_URL}/api/queue/v1/ping`, step: 'ping' });
    expect(result.error!.message).toBe(`GET ${ROOT_URL}/api/queue/v1/ping answered 500 Internal Server Error`);
  });

  it('reports a request that takes too long as a timeout with the URL', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/api/queue/v1/ping').delay(500).reply(200, { alive: true }, json);
    const result = await runOne({ ...pingQueue!, retry: { retries: 0 } }, { timeout: 50 });
    expect(result.outcome).toBe('error');
    expect(result.error).toMatchObject({ kind: 'transient', code: 'ETIMEDOUT', url: `${ROOT_URL}/api/queue/v1/ping` });
    expect(result.error!.message).toContain('timed out after 50 ms');
  });

  it('reports a refused connection as such', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/api/queue/v1/ping').replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const result = await runOne({ ...pingQueue!, retry: { retries: 0 } });
    expect(result.outcome).toBe('error');
    expect(result.error!.message).toBe(`GET ${ROOT_URL}/api/queue/v1/ping failed: connection refused`);
  });

  it('fails on a wrong body, showing what came back', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/api/queue/v1/ping').reply(200, { alive: false, uptime: 3 }, json);
    const result = await runOne(pingQueue!);
    expect(result).toMatchObject({ outcome: 'failed', error: { kind: 'assertion', url: `${ROOT_URL}/api/queue/v1/ping`, statusCode: 200 } });
    expect(result.error!.message).toContain('without alive: true: {"alive":false,"uptime":3}');
  });

  it('fails when a Dockerflow endpoint answers 404, naming it', async () => {
    mockPreflight();
    healthyQueue({ except: '__version__' });
    nock(ROOT_URL).get('/api/queue/v1/__version__').reply(404, 'not found', { 'content-type': 'text/plain' });
    const result = await runOne(pingQueue!);
    expect(result).toMatchObject({ outcome: 'failed', error: { statusCode: 404, step: '__version__' } });
    expect(result.error!.message).toBe(`GET ${ROOT_URL}/api/queue/v1/__version__ answered 404, expected 200`);
  });

  it('fails when ping is slower than its SLA', async () => {
    mockPreflight();
    healthyQueue({ except: 'ping' });
    nock(ROOT_URL).get('/api/queue/v1/ping').delay(60).reply(200, fixture('ping.json').queue, json);
    const result = await runOne(pingQueue!, { maxResponseTime: 20 });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'sla' });
    expect(result.error!.message).toMatch(/^response_ms \d+ ms > limit 20 \(\+\d+\)$/);
  });
});

describe('deployment.version', () => {
  it('passes when /__version__ names a version', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/__version__').reply(200, versionBody(), json);
    const result = await runOne(deploymentVersion);
    expect(result.outcome).toBe('passed');
    expect(result.log.map((l) => l.message)).toContain('deployment version 74.0.0 (commit fc2ffecedd4c0364ab0a98ae5cc895b94ee8a709)');
  });

  it('fails when the body is not JSON', async () => {
    mockPreflight();
    nock(ROOT_URL).get('/__version__').reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    const result = await runOne(deploymentVersion);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`GET ${ROOT_URL}/__version__ answered text/html, expected application/json`);
  });
});
