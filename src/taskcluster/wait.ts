// Waiting for a probe task to resolve, by polling queue.status at most a second apart. A task still pending
// past its claim SLA (or unscheduled past its schedule SLA, or running past its resolve SLA) fails the check
// at once, not at the check's timeout.

import type { CheckContext } from '../check/context.js';
import { formatDuration } from '../check/duration.js';
import { SlaExceeded } from '../check/errors.js';
import { formatElapsed } from './poll.js';
import { isResolved, type TaskStatus } from './task-status.js';
import type { ProbeTask } from './task.js';

export const MAX_POLL_INTERVAL_MS = 1_000;

export interface WaitOptions {
  /** Longest acceptable wait for a worker to claim the task once it is pending. */
  claimSla: number;
  /**
   * Longest acceptable time unscheduled: for a task with dependencies, until the dependency resolver
   * schedules it after they resolved. Default: the claim SLA.
   */
  scheduleSla?: number;
  /** Longest acceptable run once claimed; unbounded when absent. */
  resolveSla?: number;
  /** Our clock when the SLA clocks start: default the createTask call; for a dependent task, when its dependency was seen resolved. */
  sinceMs?: number;
  pollIntervalMs?: number;
  /** Names the task in the step ("child 2 of 3"). */
  purpose?: string;
}

export interface Resolution {
  status: TaskStatus;
  /** Our clock when the resolution was first seen. */
  seenAtMs: number;
}

export async function waitForResolution(ctx: CheckContext<unknown>, task: ProbeTask, options: WaitOptions): Promise<Resolution> {
  const interval = Math.min(options.pollIntervalMs ?? MAX_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
  const label = `wait for task ${task.taskId}${options.purpose ? ` (${options.purpose})` : ''} to resolve`;
  return ctx.step(label, async () => {
    // Each state's SLA clock starts when the task was first seen in it; a task that was waiting from the start
    // (unscheduled or pending at the first poll) has been waiting since `since`.
    let stateSinceMs = options.sinceMs ?? task.createdAtMs;
    let lastState: string | undefined;
    for (;;) {
      const { status } = (await ctx.tc.queue.status(task.taskId)) as { status: TaskStatus };
      const now = ctx.clock.now();
      if (isResolved(status)) return { status, seenAtMs: now };
      if (status.state !== lastState && (lastState !== undefined || status.state === 'running')) stateSinceMs = now;
      lastState = status.state;
      const inState = now - stateSinceMs;
      const limit = slaFor(status.state, options);
      if (limit !== undefined && inState > limit.ms) {
        throw new SlaExceeded(`${limit.name} SLA exceeded: ${status.state} after ${formatElapsed(inState)} (limit ${formatDuration(limit.ms)})`);
      }
      await ctx.sleep(interval);
    }
  });
}

function slaFor(state: TaskStatus['state'], options: WaitOptions): { name: string; ms: number } | undefined {
  if (state === 'pending') return { name: 'claim', ms: options.claimSla };
  if (state === 'unscheduled') return { name: 'schedule', ms: options.scheduleSla ?? options.claimSla };
  if (state === 'running' && options.resolveSla !== undefined) return { name: 'resolve', ms: options.resolveSla };
  return undefined;
}
