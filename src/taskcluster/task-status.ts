// The queue's task status, as queue.status() answers it, and what tc-canary measures from it. Latencies come
// from the queue's own timestamps, never from when the prober happened to poll.

export type TaskState = 'unscheduled' | 'pending' | 'running' | 'completed' | 'failed' | 'exception';

export interface TaskRun {
  runId: number;
  state: TaskState;
  reasonCreated: string;
  reasonResolved?: string;
  workerGroup?: string;
  workerId?: string;
  takenUntil?: string;
  scheduled: string;
  started?: string;
  resolved?: string;
}

export interface TaskStatus {
  taskId: string;
  taskQueueId: string;
  state: TaskState;
  deadline: string;
  runs: TaskRun[];
}

export const RESOLVED_STATES: readonly TaskState[] = ['completed', 'failed', 'exception'];

export function isResolved(status: TaskStatus): boolean {
  return RESOLVED_STATES.includes(status.state);
}

const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

/** Claim latency (started - scheduled) and run time (resolved - started) of the first run. */
export function runTimings(status: TaskStatus): { claimLatencyMs?: number; resolveMs?: number } {
  const run = status.runs[0];
  if (!run) return {};
  const scheduled = ms(run.scheduled);
  const started = ms(run.started);
  const resolved = ms(run.resolved);
  const timings: { claimLatencyMs?: number; resolveMs?: number } = {};
  if (scheduled !== undefined && started !== undefined) timings.claimLatencyMs = started - scheduled;
  if (started !== undefined && resolved !== undefined) timings.resolveMs = resolved - started;
  return timings;
}

/** "failed", or "exception (deadline-exceeded)". */
export function describeResolution(status: TaskStatus): string {
  const reason = status.runs.at(-1)?.reasonResolved;
  return reason && reason !== status.state ? `${status.state} (${reason})` : status.state;
}
