// Waiting for a probe task to resolve the way the check expects, by asking queue.status. What is expected is
// data (a state and reason, which states may last how long, a bound from one of the deployment's own
// timestamps), so a new kind of probe needs no new loop. Every limit fails the check the moment it passes,
// never at the check's timeout, and the wait never sleeps past one.

import type { CheckContext } from '../check/context.js';
import { formatDuration, formatElapsed } from '../check/duration.js';
import { AssertionFailure, SlaExceeded } from '../check/errors.js';
import { describeResolution, isResolved, runTimings, type TaskRun, type TaskState, type TaskStatus } from './task-status.js';
import type { ProbeTask } from './task.js';

export const MAX_POLL_INTERVAL_MS = 1_000;

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
  pollIntervalMs?: number;
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
  /** Our clock when the resolution was first seen. */
  seenAtMs: number;
}

/** The task to wait for: a probe task, or one a hook created (`createdAtMs`: when it was triggered). */
export type AwaitedTask = Pick<ProbeTask, 'taskId' | 'createdAtMs'>;

export async function waitForResolution(ctx: CheckContext<unknown>, task: AwaitedTask, options: WaitOptions): Promise<Resolution> {
  const interval = Math.min(options.pollIntervalMs ?? MAX_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
  const taskName = `task ${task.taskId}${options.purpose ? ` (${options.purpose})` : ''}`;
  const label = `wait for ${taskName} to resolve`;
  const resolution = await ctx.step(label, async () => {
    // Each state's SLA clock starts when the task was first seen in it; a task that was waiting from the start
    // (unscheduled or pending at the first poll) has been waiting since `since`.
    let stateSinceMs = options.sinceMs ?? task.createdAtMs;
    let lastState: string | undefined;
    let claimMeasured = false;
    for (;;) {
      const { status } = (await ctx.tc.queue.status(task.taskId)) as { status: TaskStatus };
      const now = ctx.clock.now();
      if (options.measure && !claimMeasured) claimMeasured = measureClaim(ctx, status, options);
      if (isResolved(status)) return { status, seenAtMs: now };
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
      await ctx.sleep(Math.max(0, Math.min(interval, slaLeftMs + 1, loopLeftMs + 1)));
    }
  });
  if (options.measure) measureResolution(ctx, task, resolution, options);
  if (options.expect) expectResolution(taskName, resolution.status, options.expect, options.loop);
  return resolution;
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
