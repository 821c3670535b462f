import cron, { type RunCoordinator } from 'node-cron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type ScheduledJob, type SchedulerEvent, type SchedulerOptions } from '../../src/scheduler/scheduler.js';

// node-cron's timers and dates, and the scheduler's clock, all run on vitest's fake time: minutes pass in
// milliseconds and every test is deterministic.
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
});

const schedulers: Scheduler[] = [];
afterEach(() => {
  for (const scheduler of schedulers.splice(0)) scheduler.stop();
  vi.useRealTimers();
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function startScheduler(jobs: ScheduledJob[], options: Partial<SchedulerOptions> = {}) {
  const events: SchedulerEvent[] = [];
  const scheduler = new Scheduler(jobs, { concurrency: 8, onEvent: (event) => events.push(event), ...options });
  schedulers.push(scheduler);
  scheduler.start();
  const of = (type: SchedulerEvent['type'], jobId?: string) => events.filter((e) => e.type === type && (jobId === undefined || e.jobId === jobId));
  /** Why scheduled slots were skipped, leaving out the startup runs that tests turn off with needsStartupRun. */
  const skips = (jobId?: string) => of('skipped', jobId).flatMap((e) => (e.type === 'skipped' && e.reason !== 'ran-recently' ? [e.reason] : []));
  return { scheduler, events, of, skips };
}

/** A job that counts how many of its runs are going at once, overall (shared) and for itself. */
function busyJobs(count: number, cron: string, durationMs: number) {
  const gauge = { running: 0, maxRunning: 0, runs: 0 };
  const jobs = Array.from({ length: count }, (_, i): ScheduledJob => ({
    id: `test.job-${i}`,
    cron,
    async run() {
      gauge.runs += 1;
      gauge.running += 1;
      gauge.maxRunning = Math.max(gauge.maxRunning, gauge.running);
      await sleep(durationMs);
      gauge.running -= 1;
    },
  }));
  return { jobs, gauge };
}

describe('startup runs', () => {
  it('runs every job once within the spread cap after the start, for the slot before the start', async () => {
    vi.setSystemTime(new Date('2030-01-01T00:02:30.000Z'));
    const { jobs } = busyJobs(20, '*/5 * * * *', 10);
    let n = 0;
    const { of } = startScheduler(jobs, { startupSpreadCapMs: 60_000, random: () => (n++ % 20) / 20 });
    await vi.advanceTimersByTimeAsync(61_000);
    const started = of('started');
    expect(started).toHaveLength(20);
    // Each stands for the slot before the start (so replicas agree on its coordination key).
    expect(new Set(started.map((e) => e.slot.toISOString()))).toEqual(new Set(['2030-01-01T00:00:00.000Z']));
  });

  it('spreads the startup runs in time: they start at different moments within the cap', async () => {
    const { jobs } = busyJobs(4, '*/5 * * * *', 10);
    const startedAt: number[] = [];
    let n = 0;
    startScheduler(jobs.map((job) => ({ ...job, run: async (slot) => { startedAt.push(Date.now()); await job.run(slot); } })), {
      startupSpreadCapMs: 40_000, random: () => [0, 0.25, 0.5, 0.99][n++]!,
    });
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(startedAt.map((at) => at - t0)).toEqual([0, 10_000, 20_000, 39_600]);
  });

  it('gives no startup run to a job whose next slot comes within the spread window: that slot is as soon', async () => {
    vi.setSystemTime(new Date('2030-01-01T00:04:30.000Z'));
    const everyMinute = busyJobs(3, '* * * * *', 10).jobs;
    const soon = { ...busyJobs(1, '*/5 * * * *', 10).jobs[0]!, id: 'test.soon' };
    const { of } = startScheduler([...everyMinute, soon], { startupSpreadCapMs: 60_000, random: () => 0 });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(of('started')).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    // Each job's first run is its 00:05 slot, once.
    expect(of('started').map((e) => [e.jobId, e.slot.toISOString()]).sort()).toEqual(
      [...everyMinute.map((job) => job.id), 'test.soon'].sort().map((id) => [id, '2030-01-01T00:05:00.000Z']),
    );
  });

  it('skips the startup run of a job that ran since the slot before the start', async () => {
    const { jobs, gauge } = busyJobs(3, '*/5 * * * *', 10);
    const { of } = startScheduler(jobs, { needsStartupRun: async (job) => job.id !== 'test.job-1' });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(gauge.runs).toBe(2);
    expect(of('skipped', 'test.job-1').map((e) => e.type === 'skipped' && e.reason)).toEqual(['ran-recently']);
  });
});

describe('schedules', () => {
  it('runs each slot of the cron schedule, with the slot and a small start delay', async () => {
    const { jobs, gauge } = busyJobs(1, '*/10 * * * * *', 10);
    const { of } = startScheduler(jobs, { needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(gauge.runs).toBe(6);
    const slots = of('started').map((e) => e.slot.toISOString());
    expect(slots[0]).toBe('2030-01-01T00:00:10.000Z');
    for (const event of of('started')) expect(event.type === 'started' && event.startDelayMs).toBeLessThan(50);
  });

  it('never overlaps a job with itself: a slot that comes while it still runs is skipped and said so', async () => {
    const { jobs, gauge } = busyJobs(1, '* * * * * *', 2_500);
    const { of } = startScheduler(jobs, { needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gauge.maxRunning).toBe(1);
    expect(gauge.runs).toBeGreaterThanOrEqual(3);
    expect(gauge.runs).toBeLessThanOrEqual(4);
    expect(of('skipped').filter((e) => e.type === 'skipped' && e.reason === 'overlap').length).toBeGreaterThanOrEqual(5);
  });

  it('shares one concurrency cap across all jobs', async () => {
    const { jobs, gauge } = busyJobs(10, '*/5 * * * * *', 3_000);
    startScheduler(jobs, { concurrency: 3, needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(gauge.maxRunning).toBe(3);
    expect(gauge.runs).toBeGreaterThan(20);
  });

  it('goes on after a job throws: the failure is an event and the next slot runs', async () => {
    let calls = 0;
    const job: ScheduledJob = { id: 'test.throws', cron: '* * * * * *', run: async () => { calls += 1; throw new Error(`boom ${calls}`); } };
    const { of } = startScheduler([job], { needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(3_500);
    expect(calls).toBe(3);
    expect(of('failed').map((e) => e.type === 'failed' && (e.error as Error).message)).toEqual(['boom 1', 'boom 2', 'boom 3']);
  });
});

describe('jobs sharing a cron expression', () => {
  it('share one node-cron task per expression, and every job of it runs in each of its slots', async () => {
    const tasksBefore = cron.getTasks().size;
    const every5 = busyJobs(40, '*/5 * * * * *', 10);
    const every10 = busyJobs(20, '*/10 * * * * *', 10);
    const { of } = startScheduler([...every5.jobs, ...every10.jobs.map((job) => ({ ...job, id: `${job.id}.b` }))], {
      concurrency: 100, needsStartupRun: async () => false,
    });
    expect(cron.getTasks().size - tasksBefore).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(every5.gauge.runs).toBe(40 * 4);
    expect(every10.gauge.runs).toBe(20 * 2);
    const slotsOf = (jobId: string) => of('started', jobId).map((e) => e.slot.toISOString());
    expect(slotsOf('test.job-39')).toEqual(['05', '10', '15', '20'].map((s) => `2030-01-01T00:00:${s}.000Z`));
    expect(slotsOf('test.job-0.b')).toEqual(['10', '20'].map((s) => `2030-01-01T00:00:${s}.000Z`));
  });

  it('keeps each job from overlapping itself while the others of its expression go on', async () => {
    const slow: ScheduledJob = { id: 'test.slow', cron: '* * * * * *', run: () => sleep(2_500) };
    const { jobs, gauge } = busyJobs(3, '* * * * * *', 10);
    const { of, skips } = startScheduler([slow, ...jobs], { needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(gauge.runs).toBe(3 * 6);
    expect(of('started', 'test.slow')).toHaveLength(2);
    expect(skips('test.slow')).toEqual(['overlap', 'overlap', 'overlap', 'overlap']);
    expect(skips('test.job-0')).toEqual([]);
  });

  it('says a slot missed while the process was stalled, for every job of its expression, and health names them late', async () => {
    const { jobs, gauge } = busyJobs(3, '*/10 * * * * *', 10);
    const { scheduler, of } = startScheduler(jobs, { lateAfterMs: 30_000, needsStartupRun: async () => false });
    // The clock jumps 45 s while no timer runs: a blocked event loop, as node-cron sees it. When the timer of
    // the 00:10 slot runs, it is 00:55: the slots 00:10 to 00:50 are missed, and 01:00 runs on time.
    vi.setSystemTime(Date.now() + 45_000);
    expect(scheduler.health().late.map((entry) => entry.id)).toEqual(['test.job-0', 'test.job-1', 'test.job-2']);
    await vi.advanceTimersByTimeAsync(15_100);
    const missed = ['10', '20', '30', '40', '50'].map((s) => `2030-01-01T00:00:${s}.000Z`);
    for (const { id } of jobs) {
      expect(of('skipped', id).filter((e) => e.type === 'skipped' && e.reason === 'missed').map((e) => e.slot.toISOString())).toEqual(missed);
      expect(of('started', id).map((e) => e.slot.toISOString())).toEqual(['2030-01-01T00:01:00.000Z']);
    }
    expect(gauge.runs).toBe(3);
    expect(scheduler.health().late).toEqual([]);
  });

  it('answers nextRun with the next slot of the job\'s expression, and null once stopped', async () => {
    const { jobs } = busyJobs(2, '*/15 * * * * *', 10);
    const { scheduler } = startScheduler(jobs, { needsStartupRun: async () => false });
    expect(scheduler.nextRun('test.job-1')?.toISOString()).toBe('2030-01-01T00:00:15.000Z');
    await vi.advanceTimersByTimeAsync(15_500);
    expect(scheduler.nextRun('test.job-1')?.toISOString()).toBe('2030-01-01T00:00:30.000Z');
    expect(scheduler.nextRun('test.unknown')).toBeNull();
    scheduler.stop();
    expect(scheduler.nextRun('test.job-1')).toBeNull();
  });
});

describe('coordination', () => {
  /** Elects by key as told, and records what it was asked and told. */
  function coordinator(elect: (key: string) => boolean | Promise<boolean>) {
    const asked: string[] = [];
    const completed: string[] = [];
    const instance: RunCoordinator = {
      shouldRun: (key) => { asked.push(key); return elect(key); },
      onComplete: (key) => { completed.push(key); },
    };
    return { instance, asked, completed };
  }

  it('asks once per job and slot with the key <job id>:<slot>, runs only the elected ones, and completes them', async () => {
    const { jobs, gauge } = busyJobs(2, '*/10 * * * * *', 10);
    const elected = coordinator((key) => key.startsWith('test.job-1:'));
    const { of, skips } = startScheduler(jobs, { coordinator: elected.instance, needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(20_100);
    expect(elected.asked.sort()).toEqual([
      'test.job-0:2030-01-01T00:00:10.000Z', 'test.job-0:2030-01-01T00:00:20.000Z',
      'test.job-1:2030-01-01T00:00:10.000Z', 'test.job-1:2030-01-01T00:00:20.000Z',
    ]);
    expect(gauge.runs).toBe(2);
    expect(of('started').map((e) => e.jobId)).toEqual(['test.job-1', 'test.job-1']);
    expect(skips('test.job-0')).toEqual(['not-elected', 'not-elected']);
    expect(elected.completed).toEqual(['test.job-1:2030-01-01T00:00:10.000Z', 'test.job-1:2030-01-01T00:00:20.000Z']);
  });

  it('fails closed: a coordinator that throws skips the slot (said so) and the schedule goes on', async () => {
    const { jobs, gauge } = busyJobs(1, '*/10 * * * * *', 10);
    let calls = 0;
    const flaky = coordinator(async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection refused');
      return true;
    });
    const { of, skips } = startScheduler(jobs, { coordinator: flaky.instance, needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(skips()).toEqual(['coordinator-error']);
    expect(gauge.runs).toBe(1);
    expect(of('started').map((e) => e.slot.toISOString())).toEqual(['2030-01-01T00:00:20.000Z']);
  });
});

describe('stop and drain', () => {
  it('starts no slot after stop, and drain waits for the running job up to its bound', async () => {
    const { jobs, gauge } = busyJobs(1, '* * * * * *', 5_000);
    const { scheduler } = startScheduler(jobs, { needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(1_100);
    expect(gauge.running).toBe(1);
    scheduler.stop();
    const shortDrain = scheduler.drain(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await shortDrain).toBe(false);
    const fullDrain = scheduler.drain(10_000);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await fullDrain).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gauge.runs).toBe(1);
    expect(scheduler.health().running).toBe(false);
  });
});

describe('health', () => {
  it('names a job that waits for the cap past its slot by more than lateAfterMs', async () => {
    const hog: ScheduledJob = { id: 'test.hog', cron: '0 * * * * *', run: () => sleep(120_000) };
    const late: ScheduledJob = { id: 'test.late', cron: '30 * * * * *', run: () => sleep(10) };
    const { scheduler } = startScheduler([hog, late], { concurrency: 1, lateAfterMs: 30_000, needsStartupRun: async () => false });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(scheduler.health().late).toEqual([]);
    await vi.advanceTimersByTimeAsync(70_000);
    expect(scheduler.health().late.map((entry) => entry.id)).toEqual(['test.late']);
  });
});
