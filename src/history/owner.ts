// Which process owns an unfinished run, and when to call that run abandoned. Several processes may share
// one history (a `serve` and a manual `run` on one SQLite file, replicas on one PostgreSQL), so a run is
// only marked aborted when its owner is surely gone: a process on this host that no longer exists (kill -9,
// then a restart), or, from any host, a run that showed no sign of life for longer than any check lasts.

import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../check/duration.js';

export interface RunOwner {
  host: string;
  pid: number;
  /** Tells two processes apart that got the same pid (pid 1 in every container start). */
  processStartedMs: number;
}

export const thisProcess: RunOwner = {
  host: hostname(),
  pid: process.pid,
  processStartedMs: Math.round(performance.timeOrigin),
};

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface AbandonmentRule {
  me: RunOwner;
  staleAfterMs: number;
  isAlive(pid: number): boolean;
}

/** Why an unfinished run counts as abandoned, or undefined while its owner may still be working on it. */
export function abandonmentReason(owner: RunOwner, lastSeenMs: number, now: number, rule: AbandonmentRule): string | undefined {
  const { me } = rule;
  if (owner.host === me.host) {
    const earlierIncarnation = owner.pid === me.pid && owner.processStartedMs !== me.processStartedMs;
    const gone = owner.pid !== me.pid && !rule.isAlive(owner.pid);
    if (earlierIncarnation || gone) return `its process (pid ${owner.pid} on ${owner.host}) ended before the run finished`;
  }
  if (now - lastSeenMs > rule.staleAfterMs) {
    return `no sign of life from pid ${owner.pid} on ${owner.host} since ${new Date(lastSeenMs).toISOString()} (over ${formatDuration(rule.staleAfterMs)})`;
  }
  return undefined;
}
