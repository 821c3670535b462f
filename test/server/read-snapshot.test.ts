// serve's read endpoints answer from a snapshot: kept between requests, built again once this process records
// a result (never an answer from before it), and shared by the requests that come while one is built.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { Redactor } from '../../src/redact.js';
import { ReadSnapshot } from '../../src/server/read-snapshot.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { FakeDeployment } from '../support/fake-deployment.js';

describe('ReadSnapshot', () => {
  it('keeps an answer, shares one build between requests that come during it, and builds again after invalidate()', async () => {
    const snapshot = new ReadSnapshot<number>({ maxAgeMs: 60_000 });
    let builds = 0;
    const build = async () => {
      builds += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return builds;
    };
    expect(await Promise.all([snapshot.get('a', build), snapshot.get('a', build), snapshot.get('a', build)])).toEqual([1, 1, 1]);
    expect(await snapshot.get('a', build)).toBe(1);
    expect(await snapshot.get('b', build)).toBe(2);
    snapshot.invalidate();
    expect(await snapshot.get('a', build)).toBe(3);
    expect(await snapshot.get('b', build)).toBe(4);
  });

  it('builds again once an answer is maxAgeMs old, and never keeps a failed build', async () => {
    const snapshot = new ReadSnapshot<number>({ maxAgeMs: 50 });
    let builds = 0;
    const build = async () => ++builds;
    expect(await snapshot.get('a', build)).toBe(1);
    expect(await snapshot.get('a', build)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await snapshot.get('a', build)).toBe(2);
    await expect(snapshot.get('f', async () => { throw new Error('history unreachable'); })).rejects.toThrow('history unreachable');
    expect(await snapshot.get('f', build)).toBe(3);
  });

  it('keeps at most maxEntries answers, dropping the least recently asked; maxAgeMs 0 keeps none', async () => {
    const snapshot = new ReadSnapshot<string>({ maxAgeMs: 60_000, maxEntries: 2 });
    let builds = 0;
    const build = (key: string) => async () => `${key}${++builds}`;
    await snapshot.get('a', build('a'));
    await snapshot.get('b', build('b'));
    await snapshot.get('a', build('a'));
    await snapshot.get('c', build('c'));
    expect(await snapshot.get('a', build('a'))).toBe('a1');
    expect(await snapshot.get('b', build('b'))).toBe('b4');
    const none = new ReadSnapshot<number>({ maxAgeMs: 0 });
    let count = 0;
    await none.get('a', async () => ++count);
    expect(await none.get('a', async () => ++count)).toBe(2);
  });
});

describe('serve answering from its snapshot', () => {
  // Each run of the check waits for the test to let it finish, so the test knows when a result is recorded.
  const gates: Array<() => void> = [];
  let runs = 0;
  let deployment: FakeDeployment;
  let service: RunningService;
  let reader: HistoryStore;
  let dir: string;

  beforeAll(async () => {
    deployment = await FakeDeployment.start();
    dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-snapshot-'));
    const historySpec = `sqlite:${path.join(dir, 'history.db')}`;
    service = await startService({
      checks: [{
        check: defineCheck({
          id: 'test.gated', description: 'finishes when the test says',
          async run(ctx) {
            await new Promise<void>((resolve) => gates.push(resolve));
            runs += 1;
            ctx.metric('run', runs, { unit: 'count' });
            if (runs % 2 === 0) ctx.fail('every second run fails');
          },
        }),
        params: {},
        cron: '* * * * * *',
      }],
      rootUrl: deployment.rootUrl,
      credentials: undefined,
      redactor: new Redactor(),
      concurrency: 1,
      historySpec,
      listen: { host: '127.0.0.1', port: 0 },
      log: () => undefined,
      startupSpreadCapMs: 1,
      // Far longer than the test: only a recorded result can explain a fresh answer.
      snapshotMaxAgeMs: 3_600_000,
    });
    reader = await openHistory(historySpec);
  });
  afterAll(async () => {
    for (const open of gates.splice(0)) open();
    await service?.stop();
    await reader?.close();
    await deployment?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function finishRun(): Promise<number> {
    while (gates.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    gates.shift()!();
    const run = runs + 1;
    // Seen through another handle on the history: the result is committed.
    for (;;) {
      const [latest] = await reader.latestResults(['test.gated']);
      if (latest?.result.metrics.run?.value === run) return run;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const status = async () => (await (await fetch(`${service.url}/status.json`)).json()) as { generatedAt: string; checks: Array<{ metrics: { run?: { value: number } } }> };
  const runShown = async (urlPath: string) => {
    const response = await fetch(`${service.url}${urlPath}`, { headers: { accept: 'application/json' } });
    return ((await response.json()) as { metrics: { run?: { value: number } } }).metrics.run?.value;
  };
  const overviewOutcome = async () => /data-check="test\.gated" data-outcome="(\w+)"/.exec(await (await fetch(`${service.url}/`, { headers: { accept: 'text/html' } })).text())?.[1];

  it('shows a result as soon as it is recorded, on /status.json, /checks/<id> and the pages, and keeps the answer until then', async () => {
    const first = await finishRun();
    const kept = await status();
    expect(kept.checks[0]!.metrics.run?.value).toBe(first);
    expect(await runShown('/checks/test.gated')).toBe(first);
    expect(await overviewOutcome()).toBe('passed');
    // No result since: the same answer, built once.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await status()).generatedAt).toBe(kept.generatedAt);

    const second = await finishRun();
    const fresh = await status();
    expect(fresh.checks[0]!.metrics.run?.value).toBe(second);
    expect(fresh.generatedAt).not.toBe(kept.generatedAt);
    expect(await runShown('/checks/test.gated')).toBe(second);
    expect(await overviewOutcome()).toBe('failed');
  }, 30_000);

  it('says nosniff on every JSON and HTML answer', async () => {
    for (const [urlPath, accept] of [['/status.json', '*/*'], ['/checks/test.gated', 'application/json'], ['/checks/nope', 'application/json'], ['/nowhere', '*/*'], ['/__heartbeat__', '*/*'], ['/__version__', '*/*'], ['/metrics', '*/*'], ['/', 'text/html']] as const) {
      const response = await fetch(`${service.url}${urlPath}`, { headers: { accept } });
      await response.arrayBuffer();
      expect([urlPath, response.headers.get('x-content-type-options')]).toEqual([urlPath, 'nosniff']);
    }
  });
});
