import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
        // Longer than a second: the replica running a job skips its next slot without claiming it, so the other
        // replica takes that one, and both take part whichever of them is quicker to claim.
        run: async (slot) => {
          ran.push({ replica: name, job: id, slot: slot.toISOString() });
          await sleep(1_200);
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

  it('claims the keys asked in one tick with one statement, each key for one caller and one replica only', async () => {
    const schema = freshSchemaName('tc_canary_sched');
    cleanups.push(() => dropSchema(url, schema));
    const [one, two] = await Promise.all(['one', 'two'].map((owner) => PostgresRunCoordinator.open(url, { schema, owner })));
    cleanups.push(async () => {
      await Promise.all([one!.close(), two!.close()]);
    });
    const slot = '2030-01-01T00:01:00.000Z';
    const keys = Array.from({ length: 200 }, (_, i) => `test.check-${i}:${slot}`);
    // Replica two took the even checks' slots before; its first claim also prunes old rows (a second statement).
    await Promise.all(keys.filter((_, i) => i % 2 === 0).map((key) => two!.shouldRun(key, 30_000)));

    const queries = vi.spyOn(pg.Pool.prototype, 'query');
    cleanups.push(async () => queries.mockRestore());
    await one!.shouldRun('test.warm-up:2030-01-01T00:00:00.000Z', 30_000);
    queries.mockClear();
    const answers = await Promise.all([...keys, keys[1]!].map((key) => one!.shouldRun(key, 30_000)));
    expect(queries).toHaveBeenCalledTimes(1);
    expect(answers.slice(0, 200)).toEqual(keys.map((_, i) => i % 2 === 1));
    // The same key asked twice in a tick: the first asker has it, the second is told no.
    expect(answers[200]).toBe(false);

    queries.mockClear();
    await Promise.all(keys.filter((_, i) => i % 2 === 1).map((key) => one!.onComplete(key)));
    expect(queries).toHaveBeenCalledTimes(1);
    queries.mockRestore();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const completed = await client.query(`SELECT owner, count(*)::int AS n FROM ${schema}.tc_canary_schedule_leases WHERE completed_ms IS NOT NULL GROUP BY owner`);
      expect(completed.rows).toEqual([{ owner: 'one', n: 100 }]);
    } finally {
      await client.end();
    }
  });
});
