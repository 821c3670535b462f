// The first run of each job after a start: at once, rather than up to a whole interval later, but spread
// over a window so that a hundred checks do not all hit the deployment in the same second. The window is the
// job's interval, capped (one minute by default), as Cloudprober spreads its probes.

export interface StartupPlan {
  /** The slot the startup run stands for: the cron slot just before the start. */
  slot: Date;
  /** How long after the start it runs. */
  delayMs: number;
}

/**
 * `nextRuns` are the job's next two cron slots. The slot before them is estimated as next - interval: exact
 * for regular schedules (every 5 minutes), and in any case the same on every replica, which is what its
 * coordination key needs.
 */
export function startupPlan(nextRuns: readonly Date[], capMs: number, random: () => number): StartupPlan {
  const [next, after] = nextRuns;
  if (!next || !after) throw new Error('a startup plan needs the next two slots of the schedule');
  const intervalMs = after.getTime() - next.getTime();
  return {
    slot: new Date(next.getTime() - intervalMs),
    delayMs: Math.floor(random() * Math.min(intervalMs, capMs)),
  };
}
