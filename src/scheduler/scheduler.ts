// Runs jobs on their cron schedules with node-cron: one job never overlaps itself (a slot that comes while
// the previous run is still going is skipped), all jobs share one concurrency cap, a job that throws is
// reported and the schedule goes on, and with a run coordinator each slot of each job runs on one replica.
//
// One node-cron task per distinct cron expression, not per job: thousands of checks share a handful of
// schedules, and node-cron works out each task's next slot one task after another, so 10,000 tasks made the
// checks due in the same second start up to 160 ms late. A task's firing dispatches every job of its
// expression; the per-job rules (overlap, election keyed by job and slot, cap) are applied here.

import cron, { type Logger, type RunCoordinator, type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from '../clock.js';
import { Semaphore } from '../runner/semaphore.js';
import { startupPlan } from './startup.js';

export interface ScheduledJob {
  /** Unique; also the coordination key's prefix, so it must be the same on every replica. */
  id: string;
  cron: string;
  /** One run for the cron slot `slot`. It may throw: that is reported and changes nothing else. */
  run(slot: Date): Promise<void>;
}

export type SkipReason = 'overlap' | 'not-elected' | 'coordinator-error' | 'missed' | 'stopping' | 'ran-recently';

export type SchedulerEvent =
  | { type: 'started'; jobId: string; slot: Date; startDelayMs: number }
  | { type: 'finished'; jobId: string; slot: Date; durationMs: number }
  | { type: 'failed'; jobId: string; slot: Date; error: unknown }
  | { type: 'skipped'; jobId: string; slot: Date; reason: SkipReason };

export interface SchedulerOptions {
  /** The most jobs running at once, across all of them. */
  concurrency: number;
  /** Elects one replica per slot of each job (key `<job id>:<slot ISO time>`); without one, every slot runs here. */
  coordinator?: RunCoordinator;
  /** How long a slot's election holds, passed to the coordinator. Default 30 s (node-cron's). */
  leaseMs?: number;
  /** The startup runs are spread over each job's interval, at most this long. Default one minute. */
  startupSpreadCapMs?: number;
  /** Whether a job needs its startup run, e.g. false when the history shows it ran since `slot`. */
  needsStartupRun?(job: ScheduledJob, slot: Date): Promise<boolean>;
  /** A slot counts as late (health) once it is this much overdue. Default 30 s. */
  lateAfterMs?: number;
  onEvent?(event: SchedulerEvent): void;
  clock?: Clock;
  random?: () => number;
}

export interface SchedulerHealth {
  running: boolean;
  jobs: number;
  /** Jobs running or waiting for a slot under the cap. */
  busy: number;
  /** Jobs whose due slot neither ran nor was skipped in time, or that wait for the cap for too long. */
  late: Array<{ id: string; dueAt: string }>;
}

/** The jobs sharing one cron expression, and the node-cron task that fires their slots. */
interface CronGroup {
  task: ScheduledTask;
  jobs: JobState[];
  /** The slot the task should fire next; a slot past it plus lateAfterMs means the scheduler stalled. */
  nextMs: number;
}

interface JobState {
  job: ScheduledJob;
  group: CronGroup;
  /** From the slot's dispatch until its run (or skip) ends: the guard against overlapping itself. */
  inFlight?: Promise<void>;
  /** Set while the job waits for its election or the concurrency cap. */
  waitingSinceMs?: number;
}

const DEFAULT_STARTUP_SPREAD_CAP_MS = 60_000;
const DEFAULT_LATE_AFTER_MS = 30_000;
const DEFAULT_LEASE_MS = 30_000;

/** node-cron logs warnings (missed slots) to the console; the events say the same to onEvent. */
const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export class Scheduler {
  private readonly groups: CronGroup[] = [];
  private readonly states = new Map<string, JobState>();
  private readonly semaphore: Semaphore;
  private readonly startupTimers = new Set<NodeJS.Timeout>();
  private readonly clock: Clock;
  private started = false;
  private stopping = false;

  constructor(jobs: readonly ScheduledJob[], private readonly options: SchedulerOptions) {
    this.semaphore = new Semaphore(options.concurrency);
    this.clock = options.clock ?? systemClock;
    const byCron = new Map<string, CronGroup>();
    for (const job of jobs) {
      if (this.states.has(job.id)) throw new Error(`job ${job.id} is scheduled twice`);
      let group = byCron.get(job.cron);
      if (!group) {
        group = this.createGroup(job.cron);
        byCron.set(job.cron, group);
      }
      const state: JobState = { job, group };
      group.jobs.push(state);
      this.states.set(job.id, state);
    }
  }

  /** Starts every schedule and plans the startup runs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const group of this.groups) {
      group.task.start();
      const nextRuns = group.task.getNextRuns(2);
      group.nextMs = nextRuns[0]?.getTime() ?? Number.POSITIVE_INFINITY;
      for (const state of group.jobs) this.planStartupRun(state, nextRuns);
    }
  }

  /** No slot starts after this; runs already going continue (see drain). */
  stop(): void {
    this.stopping = true;
    for (const timer of this.startupTimers) clearTimeout(timer);
    this.startupTimers.clear();
    // destroy() also removes the task from node-cron's process-wide registry.
    for (const group of this.groups) group.task.destroy();
  }

  /** The jobs running now, by id. */
  running(): string[] {
    return [...this.states.values()].flatMap((state) => (state.inFlight ? [state.job.id] : []));
  }

  /** Waits for the running jobs, at most timeoutMs; true when they all ended. */
  async drain(timeoutMs: number): Promise<boolean> {
    const running = [...this.states.values()].flatMap((state) => (state.inFlight ? [state.inFlight] : []));
    if (running.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.all(running).then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  nextRun(jobId: string): Date | null {
    const state = this.states.get(jobId);
    return !this.started || this.stopping || !state ? null : new Date(state.group.nextMs);
  }

  health(): SchedulerHealth {
    const now = this.clock.now();
    const lateAfter = this.options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
    const late: SchedulerHealth['late'] = [];
    let busy = 0;
    for (const state of this.states.values()) {
      if (state.inFlight) busy += 1;
      const dueMs = state.waitingSinceMs ?? state.group.nextMs;
      if (now - dueMs > lateAfter) late.push({ id: state.job.id, dueAt: new Date(dueMs).toISOString() });
    }
    return { running: this.started && !this.stopping, jobs: this.states.size, busy, late };
  }

  private createGroup(expression: string): CronGroup {
    // The callback only dispatches (the runs go on without it), so node-cron never sees a slot overlap.
    const task = cron.createTask(expression, (context) => this.dispatch(group, context.date), { logger: silentLogger });
    const group: CronGroup = { task, jobs: [], nextMs: Number.POSITIVE_INFINITY };
    task.on('execution:missed', (context) => {
      group.nextMs = task.getNextRun()?.getTime() ?? Number.POSITIVE_INFINITY;
      for (const { job } of group.jobs) this.emit({ type: 'skipped', jobId: job.id, slot: context.date, reason: 'missed' });
    });
    this.groups.push(group);
    return group;
  }

  /** A slot of a cron expression: every job of it, each under its own rules. */
  private dispatch(group: CronGroup, slot: Date): void {
    group.nextMs = group.task.getNextRun()?.getTime() ?? Number.POSITIVE_INFINITY;
    for (const state of group.jobs) this.fire(state, slot, slot.getTime(), false);
  }

  private planStartupRun(state: JobState, nextRuns: readonly Date[]): void {
    const random = this.options.random ?? Math.random;
    const now = this.clock.now();
    const plan = startupPlan(nextRuns, now, this.options.startupSpreadCapMs ?? DEFAULT_STARTUP_SPREAD_CAP_MS, random);
    if (!plan) return;
    const dueMs = now + plan.delayMs;
    const timer = setTimeout(() => {
      this.startupTimers.delete(timer);
      this.fire(state, plan.slot, dueMs, true);
    }, plan.delayMs);
    this.startupTimers.add(timer);
  }

  /** One slot of a job, unless it is still running; never throws, so neither node-cron nor the process sees a job's error. */
  private fire(state: JobState, slot: Date, dueMs: number, startup: boolean): void {
    const { job } = state;
    if (this.stopping) return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'stopping' });
    // Also covers a startup run still going when the first scheduled slot comes.
    if (state.inFlight) return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'overlap' });
    state.waitingSinceMs = dueMs;
    state.inFlight = this.runSlot(state, slot, dueMs, startup).finally(() => {
      state.waitingSinceMs = undefined;
      state.inFlight = undefined;
    });
  }

  private async runSlot(state: JobState, slot: Date, dueMs: number, startup: boolean): Promise<void> {
    const { job } = state;
    const { coordinator, needsStartupRun } = this.options;
    if (startup && needsStartupRun) {
      try {
        if (!(await needsStartupRun(job, slot))) return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'ran-recently' });
      } catch (error) {
        return this.emit({ type: 'failed', jobId: job.id, slot, error });
      }
    }
    if (!coordinator) return this.underCap(state, slot, dueMs);
    // The same key on every replica, for startup and scheduled runs alike: whoever claims it first runs the slot.
    const key = `${job.id}:${slot.toISOString()}`;
    try {
      if (!(await coordinator.shouldRun(key, this.options.leaseMs ?? DEFAULT_LEASE_MS))) {
        return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'not-elected' });
      }
    } catch {
      // Fail closed, as node-cron does: running a slot twice is worse than missing one.
      return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'coordinator-error' });
    }
    try {
      await this.underCap(state, slot, dueMs);
    } finally {
      await Promise.resolve(coordinator.onComplete?.(key)).catch(() => undefined);
    }
  }

  private underCap(state: JobState, slot: Date, dueMs: number): Promise<void> {
    const { job } = state;
    return this.semaphore.use(async () => {
      state.waitingSinceMs = undefined;
      if (this.stopping) return this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'stopping' });
      const startedMs = this.clock.now();
      this.emit({ type: 'started', jobId: job.id, slot, startDelayMs: startedMs - dueMs });
      try {
        await job.run(slot);
        this.emit({ type: 'finished', jobId: job.id, slot, durationMs: this.clock.now() - startedMs });
      } catch (error) {
        this.emit({ type: 'failed', jobId: job.id, slot, error });
      }
    });
  }

  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop a schedule.
    }
  }
}
