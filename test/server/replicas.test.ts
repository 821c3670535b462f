// Two `serve` replicas on one PostgreSQL history: the service wires the lease coordinator in, so together
// they record one result per scheduled slot, not two; and a result one records shows on the other's
// /status.json within the snapshot's age bound.

import { afterAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
import type { CheckResult } from '../../src/check/result.js';
import { openHistory } from '../../src/history/open.js';
import { Redactor } from '../../src/redact.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { dropSchema, freshSchemaName } from '../support/postgres-schema.js';
import { missingService, services } from '../support/services.js';

const skip = missingService('postgresUrl');
const url = services.postgresUrl!;
const schema = freshSchemaName('tc_canary_serve');
let deployment: FakeDeployment | undefined;

afterAll(async () => {
  await deployment?.close();
  if (!skip) await dropSchema(url, schema);
});

describe.skipIf(skip)('two serve replicas sharing PostgreSQL', () => {
  it('record each slot of a check once between them', async () => {
    deployment = await FakeDeployment.start();
    const runsBy: Record<string, number> = { one: 0, two: 0 };
    const replica = (name: string): Promise<RunningService> => startService({
      checks: [{
        // Longer than a second: the replica running it skips the next slot without claiming it, so the other
        // replica takes that one, and both take part whichever of them is quicker to claim.
        check: defineCheck({
          id: 'test.every-second', description: 'counts its runs',
          async run() {
            runsBy[name]! += 1;
            await new Promise((resolve) => setTimeout(resolve, 1_200));
          },
        }),
        params: {},
        cron: '* * * * * *',
      }],
      rootUrl: deployment!.rootUrl,
      credentials: undefined,
      redactor: new Redactor(),
      concurrency: 2,
      historySpec: url,
      historyOptions: { schema },
      listen: { host: '127.0.0.1', port: 0 },
      log: () => undefined,
      startupSpreadCapMs: 1,
    });
    // Counted from before the first replica starts: it runs slots while the second is still starting.
    const startedMs = Date.now();
    // One after the other: opening the history creates its test schema, which two openings at once race on.
    const replicas = [await replica('one'), await replica('two')];
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await Promise.all(replicas.map((service) => service.stop()));
    const elapsedSeconds = (Date.now() - startedMs) / 1000;

    const store = await openHistory(url, { schema });
    try {
      const results = await store.results({ since: 0 });
      const total = runsBy.one! + runsBy.two!;
      expect(results).toHaveLength(total);
      // One per second that passed (plus the startup run), where two uncoordinated replicas would make twice that.
      expect(total).toBeGreaterThanOrEqual(Math.floor(elapsedSeconds) - 1);
      expect(total).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
      expect(runsBy.one! > 0 && runsBy.two! > 0).toBe(true);
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe.skipIf(skip)('a serve replica answering from its snapshot', () => {
  const otherSchema = freshSchemaName('tc_canary_snapshot');
  afterAll(async () => {
    if (!skip) await dropSchema(url, otherSchema);
  });

  it('shows a result another replica recorded within snapshotMaxAgeMs', async () => {
    const maxAgeMs = 1_000;
    deployment ??= await FakeDeployment.start();
    const other = await openHistory(url, { schema: otherSchema });
    const result = (outcome: 'passed' | 'failed'): CheckResult => ({
      id: 'test.yearly', description: 'runs elsewhere', tags: [], outcome, startedAt: new Date().toISOString(), durationMs: 5,
      attempts: [], steps: [], metrics: {}, resources: [], log: [],
      ...(outcome === 'failed' && { error: { kind: 'assertion' as const, message: 'wrong answer' } }),
    });
    const record = async (runId: string, outcome: 'passed' | 'failed') => {
      await other.beginRun({ runId, rootUrl: deployment!.rootUrl, deploymentVersion: null, startedAt: new Date().toISOString(), toolVersion: '0.0.0-test' });
      await other.recordCheck(runId, result(outcome));
    };
    // Recorded before the replica starts: its latest result is newer than its previous slot, so no startup run.
    await record('elsewhere-1', 'passed');
    const service = await startService({
      checks: [{ check: defineCheck({ id: 'test.yearly', description: 'runs elsewhere', async run() {} }), params: {}, cron: '0 0 1 1 *' }],
      rootUrl: deployment.rootUrl,
      credentials: undefined,
      redactor: new Redactor(),
      concurrency: 1,
      historySpec: url,
      historyOptions: { schema: otherSchema },
      listen: { host: '127.0.0.1', port: 0 },
      log: () => undefined,
      snapshotMaxAgeMs: maxAgeMs,
    });
    try {
      const health = async () => ((await (await fetch(`${service.url}/status.json`)).json()) as { checks: Array<{ health: string }> }).checks[0]!.health;
      expect(await health()).toBe('up');
      await record('elsewhere-2', 'failed');
      const recordedAt = Date.now();
      while ((await health()) !== 'down') {
        expect(Date.now() - recordedAt, 'the other replica\'s result never showed').toBeLessThan(maxAgeMs + 1_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await service.stop();
      await other.close();
    }
  }, 30_000);
});
