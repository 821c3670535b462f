// What `serve` schedules: each selected check as a job on its own cron schedule, each firing being one run
// of the runner with that one check (so recording, reporting, timeouts, retries and cleanup are the
// runner's, unchanged). The global concurrency cap is the scheduler's, around these runs. The firings share
// one preflight for a minute: the deployment's scopes and version do not change from one firing to the next,
// and its two HTTP calls per firing were what kept 10,000 checks a minute from keeping up.

import { setMaxListeners } from 'node:events';
import type { Credentials } from 'taskcluster-client';
import nodeCron from 'node-cron';
import type { AnyCheck } from '../check/define.js';
import type { Clock } from '../clock.js';
import type { LatestResult } from '../history/store.js';
import type { PulseAccess } from '../pulse/access.js';
import type { Redactor } from '../redact.js';
import type { RunReporter } from '../report/reporter.js';
import { cachedPreflight } from '../runner/preflight-cache.js';
import { runChecks, type PlannedRunCheck, type RunRequest } from '../runner/run.js';
import { sharedLatest, type LatestById } from './shared-latest.js';
import type { ScheduledJob } from './scheduler.js';
import { dependencySkipReason } from '../runner/dependency.js';

export interface CheckJobsContext {
  rootUrl: string;
  credentials: Credentials | undefined;
  redactor: Redactor;
  toolVersion: string;
  pulse?: PulseAccess | undefined;
  pulseManagement?: RunRequest['pulseManagement'];
  /** Fresh reporters for each run (history, metrics, log). */
  reporters(): RunReporter[];
  /** The latest recorded results, to skip a check whose dependency is down (each check runs on its own). */
  latest(): Promise<LatestResult[]>;
  /** Aborted when the service stops: running checks end and clean up. */
  signal: AbortSignal;
  /** The maintenance window covering a check when its run starts: its result records it. */
  maintenance?: RunRequest['maintenance'];
  /** The history's earlier results, for checks that judge a trend across runs. */
  earlierResults?: RunRequest['earlierResults'];
  clock?: Clock;
}

export interface ScheduledCheck {
  check: AnyCheck;
  params: Record<string, unknown>;
  cron: string;
  /** Named by its id in --check or checks.include (see PlannedRunCheck.named). */
  named?: boolean;
}

const PREFLIGHT_TTL_MS = 60_000;
const LATEST_TTL_MS = 10_000;

/** Throws when a schedule is not a valid cron expression, naming the check. */
export function checkJobs(checks: readonly ScheduledCheck[], context: CheckJobsContext): ScheduledJob[] {
  const valid = new Map<string, boolean>();
  for (const { check, cron } of checks) {
    if (!valid.has(cron)) valid.set(cron, nodeCron.validate(cron));
    if (!valid.get(cron)) throw new Error(`check ${check.id}: schedule ${JSON.stringify(cron)} is not a cron expression`);
  }
  const preflight = cachedPreflight(PREFLIGHT_TTL_MS, context.clock);
  const latest = sharedLatest(context.latest, LATEST_TTL_MS, context.clock);
  // Each running check listens for the service's stop: as many listeners as checks run at once, not a leak.
  setMaxListeners(0, context.signal);
  return checks.map(({ check, params, cron, named }) => ({
    id: check.id,
    cron,
    async run() {
      const planned: PlannedRunCheck = { check, params, ...(named && { named }) };
      const reason = check.dependsOn?.length ? dependencyDown(check.dependsOn, await latest()) : undefined;
      if (reason) planned.excludedReason = reason;
      // A signal per run, following the service's: what a run hangs on it goes away with the run, instead of
      // piling up on one signal that lives as long as the service.
      const run = new AbortController();
      const stop = () => run.abort();
      context.signal.addEventListener('abort', stop, { once: true });
      try {
        await runChecks({
          checks: [planned],
          rootUrl: context.rootUrl,
          credentials: context.credentials,
          concurrency: 1,
          reporters: context.reporters(),
          redactor: context.redactor,
          toolVersion: context.toolVersion,
          pulse: context.pulse,
          pulseManagement: context.pulseManagement,
          signal: run.signal,
          preflight,
          maintenance: context.maintenance,
          earlierResults: context.earlierResults,
          ...(context.clock && { clock: context.clock }),
        });
      } finally {
        context.signal.removeEventListener('abort', stop);
      }
    },
  }));
}

/** Why the check must be skipped because a dependency's latest result did not pass, or undefined. */
function dependencyDown(dependsOn: readonly string[], latest: LatestById): string | undefined {
  for (const dependency of dependsOn) {
    const result = latest.get(dependency);
    const reason = result && dependencySkipReason(dependency, result, ` at ${result.startedAt}`);
    if (reason) return reason;
  }
  return undefined;
}
