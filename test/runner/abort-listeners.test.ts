// A check that polls for long (queue.dependencies, pool claims) sleeps, steps and requests hundreds of times
// under one AbortSignal: each wait must take its abort listener away when it ends, or a service running for
// weeks leaks them (and Node warns at the eleventh: MaxListenersExceededWarning).

import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';

const WAITS = 200;
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"alive":true}');
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it(`leaves no abort listener behind after ${WAITS} sleeps, steps, HTTP requests and history reads`, async () => {
  const counts: Record<string, number> = {};
  const runSignal = new AbortController().signal;
  const check = defineCheck({
    id: 'test.polls', description: 'polls for long',
    async run(ctx) {
      const before = getEventListeners(ctx.signal, 'abort').length;
      for (let i = 0; i < WAITS; i += 1) await ctx.sleep(0);
      counts.sleep = getEventListeners(ctx.signal, 'abort').length - before;
      for (let i = 0; i < WAITS; i += 1) await ctx.step(`poll ${i}`, async () => i);
      counts.step = getEventListeners(ctx.signal, 'abort').length - before;
      for (let i = 0; i < WAITS / 4; i += 1) await ctx.http.get(`${url}/ping`);
      counts.http = getEventListeners(ctx.signal, 'abort').length - before;
      for (let i = 0; i < WAITS; i += 1) await ctx.earlierResults(0);
      counts.earlierResults = getEventListeners(ctx.signal, 'abort').length - before;
    },
  });
  const result = await runChecks({
    checks: [{ check, params: {} }],
    rootUrl: url,
    credentials: undefined,
    concurrency: 1,
    reporters: [],
    redactor: new Redactor(),
    toolVersion: '0.0.0-test',
    signal: runSignal,
    earlierResults: async () => [],
    preflight: async () => ({ deploymentVersion: null, scopes: undefined, serverClockOffsetMs: 0 }),
  });
  expect(result.checks[0]?.error).toBeUndefined();
  expect(counts).toEqual({ sleep: 0, step: 0, http: 0, earlierResults: 0 });
  // The run's own signal (serve's shutdown signal, shared by every run) keeps none either.
  expect(getEventListeners(runSignal, 'abort')).toHaveLength(0);
});
