// A queue's depth over time on the dashboard: pulse.queue.<name> records one metric per queue it matched
// (`<queue>.messages`, ...), and the check's page plots each from a real SQLite history, with no declaration.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pulseQueues } from '../../checks/pulse-queues.js';
import { createDashboard } from '../../src/dashboard/dashboard.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { MINUTE, NOW, resultOf, runOf, tempHistorySpec } from './seed.js';
import { serveDashboard, type TestServer } from './server.js';

const QUEUE = 'queue/treeherder/jobs';
const [CHECK, EXACT] = pulseQueues({ services: [], pools: [], pulseQueues: [
  { name: 'treeherder', pattern: 'queue/treeherder/*', minConsumers: 1, maxMessages: 1000 },
  // Without maxMessages no metric has a limit: a pattern naming one queue declares its depth as the key metric.
  { name: 'github', pattern: 'queue/github/events', minConsumers: 1 },
] });
const DEPTHS = [10, 500, 2000];

describe('a Pulse queue on the dashboard', () => {
  let store: HistoryStore;
  let server: TestServer;

  beforeAll(async () => {
    store = await openHistory(tempHistorySpec(), { clock: { now: () => NOW } });
    await store.importRuns(DEPTHS.map((messages, i) => {
      const at = NOW - (DEPTHS.length - i) * 5 * MINUTE;
      const metrics = {
        [`${QUEUE}.messages`]: { value: messages, unit: 'count', limit: 1000, ok: messages <= 1000 },
        [`${QUEUE}.consumers`]: { value: messages > 1000 ? 0 : 1, unit: 'count' },
      };
      const github = { 'queue/github/events.consumers': { value: 1, unit: 'count' }, 'queue/github/events.messages': { value: i, unit: 'count' } };
      return runOf(`run-${i}`, at, [
        resultOf(CHECK!.id, at, { outcome: messages > 1000 ? 'failed' : 'passed', metrics }, CHECK!.description, CHECK!.tags),
        resultOf(EXACT!.id, at, { outcome: 'passed', metrics: github }, EXACT!.description, EXACT!.tags),
      ]);
    }));
    const served = [CHECK!, EXACT!].map((check) => ({ check, params: {}, cron: '*/5 * * * *' }));
    server = await serveDashboard(createDashboard({ store, checks: served, clock: { now: () => NOW } }));
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  test('the check page plots each queue\'s depth over time against its limit, and the overview shows the depth', async () => {
    const html = { Accept: 'text/html' };
    const page = await (await fetch(`${server.url}/checks/${CHECK!.id}?window=1h`, { headers: html })).text();
    const plots = [...page.matchAll(/<script type="application\/json">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    expect(plots.map((plot) => plot.name).sort()).toEqual([`${QUEUE}.consumers`, `${QUEUE}.messages`]);
    const depth = plots.find((plot) => plot.name === `${QUEUE}.messages`);
    expect(depth.value).toEqual(DEPTHS);
    expect(depth.limit).toEqual([1000, 1000, 1000]);
    expect(depth.x).toEqual(DEPTHS.map((_, i) => (NOW - (DEPTHS.length - i) * 5 * MINUTE) / 1000));

    const overview = await (await fetch(`${server.url}/`, { headers: html })).text();
    const rowOf = (id: string) => overview.slice(overview.indexOf(`data-check="${id}"`), overview.indexOf('</tr>', overview.indexOf(`data-check="${id}"`)));
    expect(rowOf(CHECK!.id)).toContain(`${QUEUE}.messages`);
    expect(rowOf(EXACT!.id)).toContain('queue/github/events.messages');
    expect(rowOf(EXACT!.id)).not.toContain('queue/github/events.consumers');
  });
});
