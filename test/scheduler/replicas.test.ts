import { afterEach, describe, expect, it } from 'vitest';
import { PostgresRunCoordinator } from '../../src/scheduler/postgres-coordinator.js';
import { Scheduler, type ScheduledJob } from '../../src/scheduler/scheduler.js';
import { dropSchema, freshSchemaName } from '../support/postgres-schema.js';
import { missingService, services } from '../support/services.js';

const skip = missingService('postgresUrl');
const url = services.postgresUrl!;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip)('replicas sharing PostgreSQL', () => {
  it('run each slot of each job once between them, startup runs included', async () => {
    const schema = freshSchemaName('tc_canary_sched');
    cleanups.push(() => dropSchema(url, schema));
    const ran: Array<{ replica: string; job: string; slot: string }> = [];
    const jobIds = ['test.a', 'test.b/with-slash', 'test.c'];

    const replica = async (name: string) => {
      const coordinator = await PostgresRunCoordinator.open(url, { schema, owner: name });
      const jobs = jobIds.map((id): ScheduledJob => ({
        id,
        cron: '* * * * * *',
        run: async (slot) => {
          ran.push({ replica: name, job: id, slot: slot.toISOString() });
          await sleep(100);
        },
      }));
      // Startup runs at once (spread cap 1 ms) so both replicas compete for the same startup slot.
      const scheduler = new Scheduler(jobs, { concurrency: 8, coordinator, startupSpreadCapMs: 1 });
      cleanups.push(async () => {
        scheduler.stop();
        await scheduler.drain(2_000);
        await coordinator.close();
      });
      return scheduler;
    };
    const [one, two] = await Promise.all([replica('one'), replica('two')]);
    one.start();
    two.start();
    await sleep(4_200);
    one.stop();
    two.stop();
    await Promise.all([one.drain(2_000), two.drain(2_000)]);

    const keys = ran.map((run) => `${run.job} ${run.slot}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const job of jobIds) {
      // A slot per second for about four seconds, plus the startup run: none lost to the election.
      expect(ran.filter((run) => run.job === job).length).toBeGreaterThanOrEqual(4);
    }
    // Both replicas took part (which one wins a slot is a race; over a dozen slots each wins some).
    expect(new Set(ran.map((run) => run.replica))).toEqual(new Set(['one', 'two']));
  });

  it('creates its lease table idempotently when replicas start together', async () => {
    const schema = freshSchemaName('tc_canary_sched');
    cleanups.push(() => dropSchema(url, schema));
    const coordinators = await Promise.all(Array.from({ length: 4 }, (_, i) => PostgresRunCoordinator.open(url, { schema, owner: `r${i}` })));
    cleanups.push(async () => {
      await Promise.all(coordinators.map((c) => c.close()));
    });
    const answers = await Promise.all(coordinators.map((c) => c.shouldRun('test.x:2030-01-01T00:00:00.000Z')));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });
});
