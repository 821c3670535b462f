// Waiting for a probe task to resolve the way the check expects, by asking queue.status. What is expected is
// data (a state and reason, which states may last how long, a bound from one of the deployment's own
// timestamps), so a new kind of probe needs no new loop. Every limit fails the check the moment it passes,
// never at the check's timeout, and the wait never sleeps past one.
// With Pulse, the task's own queue events wake the wait: each is confirmed by one queue.status read (the
// status stays the source of every metric), and polling goes on at a slow pace only as a safety net for a
// lost message. When the broker is lost, the wait polls every second again.

import type { CheckContext, SeenVia } from '../check/context.js';
import { formatDuration, formatElapsed } from '../check/duration.js';
import { AssertionFailure, SlaExceeded } from '../check/errors.js';
import { describeResolution, isResolved, runTimings, type TaskRun, type TaskState, type TaskStatus } from './task-status.js';
import { noteResolved } from './seen-resolved.js';
import type { TaskEvent, TaskWatch } from '../pulse/access.js';
import type { PollInterval } from './poll.js';
import type { ProbeTask } from './task.js';

/** `auto`'s pace with task events: a safety net behind them. */
export const POLL_INTERVAL_WITH_EVENTS_MS = 10_000;
/** `auto`'s pace without them: a transition is seen within a second. */
export const POLL_INTERVAL_WITHOUT_EVENTS_MS = 1_000;
/** After an event the status does not show yet (the read raced the queue's write), how soon to read again. */
const CATCH_UP_MS = 50;

/** How far a state is along a run, to tell whether the status has caught up with an event. */
const PROGRESS: Record<TaskState, number> = { unscheduled: 0, pending: 1, running: 2, completed: 3, failed: 3, exception: 3 };

/** How the task must end: `{state: 'exception', reason: 'deadline-exceeded'}`. */
export interface TaskExpectation {
  state: 'completed' | 'failed' | 'exception';
  /** The run's reasonResolved; any when absent. */
  reason?: string;
}

/**
 * A limit measured from one of the deployment's own timestamps, for the background loop that must act by
 * then: `deadline resolver: task X still pending 3m 10s after its deadline (limit 3m)`.
 */
export interface LoopBound {
  /** The loop, as an operator names it: "deadline resolver". */
  loop: string;
  /** What it must act after, for the message: "its deadline". */
  after: string;
  /** That moment, on the deployment's clock (epoch ms). */
  atMs: number;
  limitMs: number;
  /** The states in which the task waits on this loop (default: every unresolved one); their own SLAs then do not apply. */
  states?: TaskState[];
}

export interface WaitOptions {
  /** How the task must resolve; any resolution ends the wait when absent (the check judges it). */
  expect?: TaskExpectation;
  /** Longest acceptable wait for a worker to claim the task once pending; unbounded when absent (a task nobody serves). */
  claimSla?: number;
  /**
   * Longest acceptable time unscheduled: for a task with dependencies, until the dependency resolver
   * schedules it after they resolved. Default: the claim SLA.
   */
  scheduleSla?: number;
  /** Longest acceptable run once claimed; unbounded when absent. */
  resolveSla?: number;
  /** A task on a queue no worker serves: a claim fails the wait at once. */
  unclaimed?: boolean;
  /** The bound of the loop that must resolve the task. */
  loop?: LoopBound;
  /** Our clock when the SLA clocks start: default the createTask call; for a dependent task, when its dependency was seen resolved. */
  sinceMs?: number;
  /** Time between two status reads; `auto` (the default): 10s while task events wake the wait, 1s without. */
  pollIntervalMs?: PollInterval;
  /** Names the task in the step ("child 2 of 3"). */
  purpose?: string;
  /**
   * Records the task's timings as soon as each is known: claim_latency_ms (limit claimSla), resolve_ms (limit
   * resolveSla), e2e_ms (createTask until seen resolved) and observe_lag_ms (seen resolved − the queue's
   * `resolved`). A resolve SLA that fails still leaves the claim latency recorded.
   */
  measure?: boolean;
}

export interface Resolution {
  status: TaskStatus;
  /** Our clock when the resolution was first seen: its Pulse event's arrival, or the status read's answer. */
  seenAtMs: number;
  seenVia: SeenVia;
}

/** The task to wait for: a probe task, or one a hook created (`createdAtMs`: when it was triggered). */
export type AwaitedTask = Pick<ProbeTask, 'taskId' | 'createdAtMs'>;

export async function waitForResolution(ctx: CheckContext<unknown>, task: AwaitedTask, options: WaitOptions): Promise<Resolution> {
  const taskName = `task ${task.taskId}${options.purpose ? ` (${options.purpose})` : ''}`;
  const label = `wait for ${taskName} to resolve`;
  // The same watch createProbeTask bound before the task existed; a hook's task is bound from now on.
  const watch = await ctx.taskEvents.watch(task.taskId);
  const paceMs = () => {
    if (options.pollIntervalMs !== undefined && options.pollIntervalMs !== 'auto') return options.pollIntervalMs;
    return watch?.live ? POLL_INTERVAL_WITH_EVENTS_MS : POLL_INTERVAL_WITHOUT_EVENTS_MS;
  };
  const resolution = await ctx.step(label, async (notes) => {
    // Each state's SLA clock starts when the task was first seen in it; a task that was waiting from the start
    // (unscheduled or pending at the first poll) has been waiting since `since`.
    let stateSinceMs = options.sinceMs ?? task.createdAtMs;
    let lastState: string | undefined;
    let claimMeasured = false;
    let announced: TaskEvent | undefined;
    let lossLogged = false;
    for (;;) {
      const askedAtMs = ctx.clock.now();
      const { status } = (await ctx.tc.queue.status(task.taskId)) as { status: TaskStatus };
      const now = ctx.clock.now();
      // Events that came before the read are in its answer.
      watch?.discardBefore(askedAtMs);
      if (options.measure && !claimMeasured) claimMeasured = measureClaim(ctx, status, options);
      if (isResolved(status)) {
        noteResolved(ctx, task.taskId);
        const seen = seenResolution(watch, now);
        notes.seenVia(seen.seenVia);
        return { status, ...seen };
      }
      if (options.unclaimed && status.state === 'running') {
        throw new AssertionFailure(`task ${task.taskId} was claimed by ${workerOf(status.runs.at(-1))} on ${status.taskQueueId}, a task queue no worker should serve`);
      }
      if (status.state !== lastState && (lastState !== undefined || status.state === 'running')) stateSinceMs = now;
      lastState = status.state;
      const inState = now - stateSinceMs;
      const loop = options.loop && (options.loop.states ?? [status.state]).includes(status.state) ? options.loop : undefined;
      const limit = loop ? undefined : slaFor(status, options);
      if (limit !== undefined && inState > limit.ms) {
        throw new SlaExceeded(`${limit.name} SLA exceeded: ${status.state}${limit.detail} after ${formatElapsed(inState)} (limit ${formatDuration(limit.ms)})`);
      }
      const loopLeftMs = loop ? loopRemaining(ctx, task.taskId, status, loop) : Infinity;
      const slaLeftMs = limit === undefined ? Infinity : limit.ms - inState;
      const behind = announced !== undefined && PROGRESS[announced.state] > PROGRESS[status.state];
      const sleepMs = Math.max(0, Math.min(behind ? CATCH_UP_MS : paceMs(), slaLeftMs + 1, loopLeftMs + 1));
      if (watch?.live && !behind) {
        announced = (await nextNews(ctx, watch, status.state, sleepMs)) ?? announced;
      } else {
        await ctx.sleep(sleepMs);
      }
      if (watch && !watch.live && !lossLogged) {
        lossLogged = true;
        ctx.log(`task events from Pulse stopped (${ctx.pulse?.taskEventsProblem ?? 'the broker was lost'}): polling the queue every second`);
      }
    }
  });
  if (options.measure) measureResolution(ctx, task, resolution, options);
  if (options.expect) expectResolution(taskName, resolution.status, options.expect, options.loop);
  return resolution;
}

/** The next event that says more than the last status read did (the task-pending that raced it does not), within waitMs. */
async function nextNews(ctx: CheckContext<unknown>, watch: TaskWatch, known: TaskState, waitMs: number): Promise<TaskEvent | undefined> {
  const untilMs = ctx.clock.now() + waitMs;
  for (;;) {
    const event = await watch.next(Math.max(0, untilMs - ctx.clock.now()), ctx.signal);
    if (!event || PROGRESS[event.state] > PROGRESS[known]) return event;
  }
}

/** A resolution announced by Pulse was seen when its event came; otherwise when the status read answered. */
function seenResolution(watch: TaskWatch | undefined, answeredAtMs: number): { seenAtMs: number; seenVia: SeenVia } {
  const event = watch?.firstResolution;
  return event && event.receivedAt <= answeredAtMs ? { seenAtMs: event.receivedAt, seenVia: 'pulse' } : { seenAtMs: answeredAtMs, seenVia: 'poll' };
}

function slaFor(status: TaskStatus, options: WaitOptions): { name: string; ms: number; detail: string } | undefined {
  const ms = { pending: options.claimSla, unscheduled: options.scheduleSla ?? options.claimSla, running: options.resolveSla }[status.state as 'pending' | 'unscheduled' | 'running'];
  if (ms === undefined) return undefined;
  const name = { pending: 'claim', unscheduled: 'schedule', running: 'resolve' }[status.state as 'pending' | 'unscheduled' | 'running'];
  return { name, ms, detail: status.state === 'running' ? ` on worker ${workerOf(status.runs.at(-1))}` : '' };
}

/** Milliseconds until the loop's limit passes; throws, naming the loop, once it has. */
function loopRemaining(ctx: CheckContext<unknown>, taskId: string, status: TaskStatus, loop: LoopBound): number {
  const overdueMs = ctx.serverNow() - loop.atMs;
  if (overdueMs <= loop.limitMs) return loop.limitMs - overdueMs;
  throw new SlaExceeded(`${loop.loop}: task ${taskId} still ${status.state} ${formatElapsed(overdueMs)} after ${loop.after} (limit ${formatDuration(loop.limitMs)})`);
}

function expectResolution(taskName: string, status: TaskStatus, expected: TaskExpectation, loop: LoopBound | undefined): void {
  const reason = status.runs.at(-1)?.reasonResolved;
  if (status.state === expected.state && (expected.reason === undefined || reason === expected.reason)) return;
  const wanted = expected.reason ? `${expected.state} (${expected.reason})` : expected.state;
  throw new AssertionFailure(`${loop ? `${loop.loop}: ` : ''}${taskName} on ${status.taskQueueId} resolved ${describeResolution(status)}, expected ${wanted}`);
}

function workerOf(run: TaskRun | undefined): string {
  return run?.workerGroup && run.workerId ? `${run.workerGroup}/${run.workerId}` : 'an unknown worker';
}

/** Records the claim latency once the task has started; true when it did. */
function measureClaim(ctx: CheckContext<unknown>, status: TaskStatus, options: WaitOptions): boolean {
  const { claimLatencyMs } = runTimings(status);
  if (claimLatencyMs === undefined) return false;
  ctx.metric('claim_latency_ms', claimLatencyMs, { unit: 'ms', ...(options.claimSla !== undefined ? { limit: options.claimSla } : {}) });
  return true;
}

function measureResolution(ctx: CheckContext<unknown>, task: AwaitedTask, { status, seenAtMs }: Resolution, options: WaitOptions): void {
  const { resolveMs } = runTimings(status);
  if (resolveMs !== undefined) ctx.metric('resolve_ms', resolveMs, { unit: 'ms', ...(options.resolveSla !== undefined ? { limit: options.resolveSla } : {}) });
  ctx.metric('e2e_ms', seenAtMs - task.createdAtMs, { unit: 'ms' });
  const resolved = Date.parse(status.runs.at(-1)?.resolved ?? '');
  // `resolved` is on the deployment's clock: compare the moment it was seen there.
  if (!Number.isNaN(resolved)) ctx.metric('observe_lag_ms', Math.max(0, ctx.toServerTime(seenAtMs) - resolved), { unit: 'ms' });
}
