// Two `serve` replicas on one PostgreSQL history: the service wires the lease coordinator in, so together
// they record one result per scheduled slot, not two.

import { afterAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/check/define.js';
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
