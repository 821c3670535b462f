// Runs jobs on their cron schedules with node-cron: one job never overlaps itself (a slot that comes while
// the previous run is still going is skipped), all jobs share one concurrency cap, a job that throws is
// reported and the schedule goes on, and with a run coordinator each slot runs on one replica only.

import cron, { type Logger, type RunCoordinator, type ScheduledTask, type TaskContext } from 'node-cron';
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
  /** Elects one replica per slot; without one, every slot runs here. */
  coordinator?: RunCoordinator;
  /** How long a slot's election holds (node-cron's lease); default: node-cron's 30 s. */
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

interface JobState {
  job: ScheduledJob;
  task: ScheduledTask;
  inFlight?: Promise<void>;
  /** The slot node-cron should act on next; a slot event past it plus lateAfterMs means the scheduler stalled. */
  dueMs: number;
  /** Set while the job waits for the concurrency cap. */
  waitingSinceMs?: number;
}

const DEFAULT_STARTUP_SPREAD_CAP_MS = 60_000;
const DEFAULT_LATE_AFTER_MS = 30_000;

/** node-cron logs warnings (overlaps, missed slots) to the console; its events say the same to onEvent. */
const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export class Scheduler {
  private readonly states: JobState[] = [];
  private readonly semaphore: Semaphore;
  private readonly startupTimers = new Set<NodeJS.Timeout>();
  private readonly clock: Clock;
  private started = false;
  private stopping = false;

  constructor(jobs: readonly ScheduledJob[], private readonly options: SchedulerOptions) {
    this.semaphore = new Semaphore(options.concurrency);
    this.clock = options.clock ?? systemClock;
    for (const job of jobs) this.states.push(this.createState(job));
  }

  /** Starts every schedule and plans the startup runs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const state of this.states) {
      state.task.start();
      state.dueMs = state.task.getNextRun()?.getTime() ?? Number.POSITIVE_INFINITY;
      this.planStartupRun(state);
    }
  }

  /** No slot starts after this; runs already going continue (see drain). */
  stop(): void {
    this.stopping = true;
    for (const timer of this.startupTimers) clearTimeout(timer);
    this.startupTimers.clear();
    // destroy() also removes the task from node-cron's process-wide registry.
    for (const state of this.states) state.task.destroy();
  }

  /** Waits for the running jobs, at most timeoutMs; true when they all ended. */
  async drain(timeoutMs: number): Promise<boolean> {
    const running = this.states.flatMap((state) => (state.inFlight ? [state.inFlight] : []));
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
    const state = this.states.find((candidate) => candidate.job.id === jobId);
    return this.stopping || !state ? null : state.task.getNextRun();
  }

  health(): SchedulerHealth {
    const now = this.clock.now();
    const lateAfter = this.options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
    const late: SchedulerHealth['late'] = [];
    for (const state of this.states) {
      const dueMs = state.waitingSinceMs ?? state.dueMs;
      if (now - dueMs > lateAfter) late.push({ id: state.job.id, dueAt: new Date(dueMs).toISOString() });
    }
    return {
      running: this.started && !this.stopping,
      jobs: this.states.length,
      busy: this.states.filter((state) => state.inFlight).length,
      late,
    };
  }

  private createState(job: ScheduledJob): JobState {
    const coordinated = this.options.coordinator !== undefined;
    const task = cron.createTask(job.cron, (context: TaskContext) => this.fire(state, context.date, context.date.getTime()), {
      name: job.id,
      noOverlap: true,
      logger: silentLogger,
      ...(coordinated && { distributed: true, runCoordinator: this.options.coordinator, distributedLease: this.options.leaseMs }),
    });
    const state: JobState = { job, task, dueMs: Number.POSITIVE_INFINITY };
    // Every slot ends in exactly one of these: it started, or it was skipped for one of three reasons.
    const slotSeen = () => {
      state.dueMs = task.getNextRun()?.getTime() ?? Number.POSITIVE_INFINITY;
    };
    task.on('execution:started', slotSeen);
    task.on('execution:overlap', (context) => {
      slotSeen();
      this.emit({ type: 'skipped', jobId: job.id, slot: context.date, reason: 'overlap' });
    });
    task.on('execution:missed', (context) => {
      slotSeen();
      this.emit({ type: 'skipped', jobId: job.id, slot: context.date, reason: 'missed' });
    });
    task.on('execution:skipped', (context) => {
      slotSeen();
      this.emit({ type: 'skipped', jobId: job.id, slot: context.date, reason: context.reason ?? 'not-elected' });
    });
    return state;
  }

  private planStartupRun(state: JobState): void {
    const random = this.options.random ?? Math.random;
    const plan = startupPlan(state.task.getNextRuns(2), this.options.startupSpreadCapMs ?? DEFAULT_STARTUP_SPREAD_CAP_MS, random);
    const dueMs = this.clock.now() + plan.delayMs;
    const timer = setTimeout(() => {
      this.startupTimers.delete(timer);
      void this.startupRun(state, plan.slot, dueMs);
    }, plan.delayMs);
    this.startupTimers.add(timer);
  }

  private async startupRun(state: JobState, slot: Date, dueMs: number): Promise<void> {
    const { job } = state;
    try {
      if (this.options.needsStartupRun && !(await this.options.needsStartupRun(job, slot))) {
        this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'ran-recently' });
        return;
      }
      // The same key node-cron uses for that slot: a replica that ran it, or starts at the same time, wins once.
      const coordinator = this.options.coordinator;
      if (coordinator && !(await coordinator.shouldRun(`${job.id}:${slot.toISOString()}`, this.options.leaseMs ?? 30_000))) {
        this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'not-elected' });
        return;
      }
    } catch (error) {
      this.emit({ type: 'failed', jobId: job.id, slot, error });
      return;
    }
    await this.fire(state, slot, dueMs);
  }

  /** One run of a job, under the cap; never throws, so neither node-cron nor the process sees a job's error. */
  private fire(state: JobState, slot: Date, dueMs: number): Promise<void> {
    const { job } = state;
    if (this.stopping) {
      this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'stopping' });
      return Promise.resolve();
    }
    // node-cron's noOverlap only knows its own slots; this also covers a startup run still going.
    if (state.inFlight) {
      this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'overlap' });
      return Promise.resolve();
    }
    state.waitingSinceMs = dueMs;
    const run = this.semaphore.use(async () => {
      state.waitingSinceMs = undefined;
      if (this.stopping) {
        this.emit({ type: 'skipped', jobId: job.id, slot, reason: 'stopping' });
        return;
      }
      const startedMs = this.clock.now();
      this.emit({ type: 'started', jobId: job.id, slot, startDelayMs: startedMs - dueMs });
      try {
        await job.run(slot);
        this.emit({ type: 'finished', jobId: job.id, slot, durationMs: this.clock.now() - startedMs });
      } catch (error) {
        this.emit({ type: 'failed', jobId: job.id, slot, error });
      }
    });
    state.inFlight = run.finally(() => {
      state.inFlight = undefined;
    });
    return state.inFlight;
  }

  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop a schedule.
    }
  }
}
