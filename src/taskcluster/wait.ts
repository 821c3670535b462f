// Waiting for a probe task to resolve, by polling queue.status at most a second apart. A task still pending
// past its claim SLA (or running past its resolve SLA) fails the check at once, not at the check's timeout.

import type { CheckContext } from '../check/context.js';
import { formatDuration } from '../check/duration.js';
import { SlaExceeded } from '../check/errors.js';
import { isResolved, type TaskStatus } from './task-status.js';
import type { ProbeTask } from './task.js';

export const MAX_POLL_INTERVAL_MS = 1_000;

export interface WaitOptions {
  /** Longest acceptable wait, from createTask, for a worker to claim the task. */
  claimSla: number;
  /** Longest acceptable run once claimed; unbounded when absent. */
  resolveSla?: number;
  pollIntervalMs?: number;
}

export interface Resolution {
  status: TaskStatus;
  /** Our clock when the resolution was first seen. */
  seenAtMs: number;
}

export async function waitForResolution(ctx: CheckContext<unknown>, task: ProbeTask, options: WaitOptions): Promise<Resolution> {
  const interval = Math.min(options.pollIntervalMs ?? MAX_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
  return ctx.step(`wait for task ${task.taskId} to resolve`, async () => {
    let claimedAtMs: number | undefined;
    for (;;) {
      const { status } = (await ctx.tc.queue.status(task.taskId)) as { status: TaskStatus };
      const now = ctx.clock.now();
      if (isResolved(status)) return { status, seenAtMs: now };
      if (status.state === 'pending' || status.state === 'unscheduled') {
        const waited = now - task.createdAtMs;
        if (waited > options.claimSla) {
          throw new SlaExceeded(`claim SLA exceeded: ${status.state} after ${formatDuration(Math.round(waited / 1000) * 1000)} (limit ${formatDuration(options.claimSla)})`);
        }
      } else if (status.state === 'running') {
        claimedAtMs ??= now;
        const running = now - claimedAtMs;
        if (options.resolveSla !== undefined && running > options.resolveSla) {
          throw new SlaExceeded(`resolve SLA exceeded: still running after ${formatDuration(Math.round(running / 1000) * 1000)} (limit ${formatDuration(options.resolveSla)})`);
        }
      }
      await ctx.sleep(interval);
    }
  });
}
