// The first run of each job after a start: at once, rather than up to a whole interval later, but spread
// over a window so that a hundred checks do not all hit the deployment in the same second. The window is the
// job's interval, capped (one minute by default), as Cloudprober spreads its probes. A job whose next slot
// comes within that window gets no startup run: its slot is as soon, and a restart of a service with many
// every-minute checks would otherwise run each of them twice in its first minute.

export interface StartupPlan {
  /** The slot the startup run stands for: the cron slot just before the start. */
  slot: Date;
  /** How long after the start it runs. */
  delayMs: number;
}

/**
 * `nextRuns` are the job's next two cron slots. The slot before them is estimated as next - interval: exact
 * for regular schedules (every 5 minutes), and in any case the same on every replica, which is what its
 * coordination key needs. Undefined when the next slot comes within the spread window.
 */
export function startupPlan(nextRuns: readonly Date[], nowMs: number, capMs: number, random: () => number): StartupPlan | undefined {
  const [next, after] = nextRuns;
  if (!next || !after) throw new Error('a startup plan needs the next two slots of the schedule');
  const intervalMs = after.getTime() - next.getTime();
  const spreadMs = Math.min(intervalMs, capMs);
  if (next.getTime() - nowMs <= spreadMs) return undefined;
  return {
    slot: new Date(next.getTime() - intervalMs),
    delayMs: Math.floor(random() * spreadMs),
  };
}
