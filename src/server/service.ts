// `tc-canary serve` put together: the history, the scheduler running each check on its cron schedule (with
// PostgreSQL, coordinated across replicas), the maintenance calendar, the alerts, the metrics, and the HTTP
// endpoints with the dashboard in front. stop() is the graceful end, within one bound: no new slot starts,
// running checks are aborted so their cleanups run, queued history writes are flushed, alert messages still
// going out are sent, then whatever is still pending is given up (and logged) and every connection is closed.

import { performance } from 'node:perf_hooks';
import type { Credentials } from 'taskcluster-client';
import { createAlertEngine, type AlertEngineSetup } from '../alerts/setup.js';
import { formatDuration } from '../check/duration.js';
import type { CheckResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import type { MaintenanceWindowConfig } from '../config/maintenance.js';
import { createDashboard } from '../dashboard/dashboard.js';
import { earlierResultsFrom } from '../history/earlier-results.js';
import { openHistory, type OpenHistoryOptions } from '../history/open.js';
import type { HistoryStore, RetentionPolicy } from '../history/store.js';
import { MaintenanceCalendar, maintenanceOf } from '../maintenance/calendar.js';
import { CanaryMetrics } from '../metrics/canary-metrics.js';
import { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import { PulseResultPublisher } from '../pulse/check-result.js';
import type { PulseConnection } from '../pulse/connection.js';
import type { ManagementSettings } from '../pulse/management-settings.js';
import { checkResultExchange } from '../pulse/names.js';
import type { Redactor } from '../redact.js';
import { noPaint, outcomeLine } from '../report/console-text.js';
import type { RunReporter } from '../report/reporter.js';
import { HistoryRecorder } from '../history/recorder.js';
import { parseHistorySpec } from '../history/spec.js';
import { settlesWithin } from '../runner/abortable.js';
import { checkJobs, type ScheduledCheck } from '../scheduler/check-jobs.js';
import { PostgresRunCoordinator } from '../scheduler/postgres-coordinator.js';
import { Scheduler, type SchedulerEvent } from '../scheduler/scheduler.js';
import { TOOL_VERSION } from '../version.js';
import { heartbeat, type HeartbeatPart } from './heartbeat.js';
import { PreflightHealth } from './preflight-health.js';
import { startHttpServer, type Listen, type Reply } from './http-server.js';
import { ReadSnapshot } from './read-snapshot.js';
import { routes } from './routes.js';
import { checkStatus, statusReport, type StatusSource } from './status-report.js';
import { versionInfo } from './version-info.js';

export interface ServiceOptions {
  checks: ScheduledCheck[];
  rootUrl: string;
  credentials: Credentials | undefined;
  redactor: Redactor;
  concurrency: number;
  /** sqlite:PATH or postgres://...; with PostgreSQL, replicas coordinate their slots through it. */
  historySpec: string;
  historyOptions?: OpenHistoryOptions;
  /** How long the history keeps results; pruned hourly. Default DEFAULT_RETENTION. */
  retention?: RetentionPolicy;
  listen: Listen;
  pulse?: { connection: PulseConnection; publishResults: boolean };
  /** The broker's management API (pulse.managementUrl). */
  pulseManagement?: ManagementSettings | undefined;
  /** The config's `maintenance` windows: results record the one they ran in; alerts are muted inside. */
  maintenance?: readonly MaintenanceWindowConfig[];
  /** Set with the config's `alerts`: every scheduled result goes to the alert engine. */
  alerts?: ServiceAlerts;
  /** One line per event worth a log line (check outcomes, scheduler problems, history problems). */
  log(line: string): void;
  /**
   * The longest stop() takes: running checks clean up, history writes and alert messages go out, then what is
   * left is given up (and logged) and everything is closed. Default 30 s.
   */
  shutdownTimeoutMs?: number;
  /**
   * How old a kept answer of /, /status.json, /checks/<id> and /pools/<id> may get before it is built again:
   * the bound within which another replica's results show. Results recorded here show at once. 0 keeps none.
   * Default 5 s.
   */
  snapshotMaxAgeMs?: number;
  /** Startup runs are spread over at most this long. Default one minute. */
  startupSpreadCapMs?: number;
  clock?: Clock;
}

/** What the alert engine needs beyond what the service already has (its database, deployment, log). */
export type ServiceAlerts = Pick<AlertEngineSetup, 'alerts' | 'env' | 'source' | 'retry'>;

export interface RunningService {
  url: string;
  scheduler: Scheduler;
  /** Graceful stop; resolves when everything is closed. Safe to call twice. */
  stop(): Promise<void>;
}

/** Kubernetes' default termination grace period. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
const DEFAULT_SNAPSHOT_MAX_AGE_MS = 5_000;
const METRICS_MAX_AGE_MS = 1_000;
/** Of the shutdown timeout, what closing the server, the history and Pulse may take at the end. */
const CLOSE_RESERVE_MS = 1_000;
const PRUNE_EVERY_MS = 3_600_000;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const clock = options.clock ?? systemClock;
  const { redactor } = options;
  const log = (line: string) => options.log(`${new Date(clock.now()).toISOString()} ${redactor.redact(line)}`);

  const store = await openHistory(options.historySpec, { clock, ...options.historyOptions });
  const closers: Array<() => Promise<void>> = [() => store.close()];
  try {
    const coordinator = parseHistorySpec(options.historySpec).kind === 'postgres'
      ? await PostgresRunCoordinator.open(options.historySpec, options.historyOptions?.schema === undefined ? {} : { schema: options.historyOptions.schema })
      : undefined;
    if (coordinator) closers.unshift(() => coordinator.close());

    // What the read endpoints answer is kept until a result is recorded here (or, for other replicas' results,
    // until it is snapshotMaxAgeMs old): see read-snapshot.ts.
    const snapshotMaxAgeMs = options.snapshotMaxAgeMs ?? DEFAULT_SNAPSHOT_MAX_AGE_MS;
    const snapshot = new ReadSnapshot<Reply>({ maxAgeMs: snapshotMaxAgeMs });
    // Rendering the metrics (the process's own among them: event-loop lag percentiles, /proc reads) takes
    // milliseconds: scrapes within a second share one rendering.
    const scrapes = new ReadSnapshot<{ contentType: string; text: string }>({ maxAgeMs: Math.min(METRICS_MAX_AGE_MS, snapshotMaxAgeMs) });
    const recorder = new HistoryRecorder(store, { toolVersion: TOOL_VERSION, onProblem: log, clock, onResultRecorded: () => snapshot.invalidate() });
    const maintenance = maintenanceOf(new MaintenanceCalendar(options.maintenance ?? []));
    // A webhook's missing ${VAR} is a ConfigError here: the service does not start (exit 2).
    const alerts = options.alerts && await createAlertEngine({
      ...options.alerts,
      database: store.database,
      history: store,
      rootUrl: options.rootUrl,
      credentials: options.credentials,
      redactor,
      clock,
      log,
    });
    const metrics = new CanaryMetrics();
    const schedulerMetrics = new SchedulerMetrics(metrics.registry);
    const latestAtStart = await store.latestResults();
    for (const { result } of latestAtStart) metrics.showLatest(result);

    const stopping = new AbortController();
    const preflightHealth = new PreflightHealth(log);
    const reporters = (): RunReporter[] => [
      recorder.reporter(),
      metrics.reporter(),
      preflightHealth.reporter(),
      { onCheckEnd: (result: CheckResult) => log(outcomeLine(result, noPaint)) },
      ...(alerts ? [alerts.reporter()] : []),
      ...(options.pulse?.publishResults
        ? [new PulseResultPublisher(options.pulse.connection, (error, checkId) => log(`could not publish the result of ${checkId} to Pulse: ${(error as Error).message}`))]
        : []),
    ];
    const jobs = checkJobs(options.checks, {
      rootUrl: options.rootUrl,
      credentials: options.credentials,
      redactor,
      toolVersion: TOOL_VERSION,
      pulse: options.pulse?.connection,
      pulseManagement: options.pulseManagement,
      reporters,
      latest: () => store.latestResults(),
      earlierResults: earlierResultsFrom(store),
      signal: stopping.signal,
      maintenance,
      clock,
    });
    const ranSince = new Map(latestAtStart.map(({ checkId, result }) => [checkId, Date.parse(result.startedAt)]));
    const scheduler = new Scheduler(jobs, {
      concurrency: options.concurrency,
      ...(coordinator && { coordinator }),
      ...(options.startupSpreadCapMs !== undefined && { startupSpreadCapMs: options.startupSpreadCapMs }),
      needsStartupRun: async (job, slot) => (ranSince.get(job.id) ?? Number.NEGATIVE_INFINITY) < slot.getTime(),
      onEvent: (event) => {
        schedulerMetrics.observe(event);
        logSchedulerEvent(event, log);
      },
      clock,
    });

    const statusSource: StatusSource = {
      rootUrl: options.rootUrl,
      store,
      maintenance,
      clock,
      checks: options.checks.map(({ check, cron }) => ({
        id: check.id, description: check.description, tags: check.tags ?? [], ...(check.watches ? { watches: check.watches } : {}),
        schedule: cron, nextRun: () => scheduler.nextRun(check.id),
      })),
    };
    const dashboard = createDashboard({
      store,
      checks: options.checks,
      nextRun: (id) => scheduler.nextRun(id),
      // The badge says whether a check is in maintenance now; past results show the window they recorded.
      maintenance,
      deployment: options.rootUrl,
      clock,
      onError: (error) => log(`dashboard: ${(error as Error).stack ?? String(error)}`),
      cache: (key, build) => snapshot.get(`page ${key}`, () => encoded(build())),
    });
    const parts = [...heartbeatParts({ scheduler, recorder, store, coordinator, pulse: options.pulse?.connection }), preflightHealth.part()];
    // Written into the image at build time: read once, not per request.
    const version = versionInfo();
    const server = await startHttpServer(options.listen, routes({
      status: () => statusReport(statusSource),
      check: (id) => checkStatus(statusSource, id),
      heartbeat: () => heartbeat(parts, (text) => redactor.redact(text)),
      version: () => version,
      metrics: () => scrapes.get('metrics', async () => ({ contentType: metrics.contentType, text: await metrics.render() })),
    }, (key, build) => snapshot.get(`json ${key}`, () => encoded(build()))), (error) => log(`HTTP handler failed: ${(error as Error).stack ?? String(error)}`), (request, response) => dashboard.handle(request, response));
    closers.unshift(() => server.close());
    if (options.pulse) closers.unshift(() => options.pulse!.connection.close());

    const pruning = setInterval(() => {
      store.prune(clock.now(), options.retention).catch((error: Error) => log(error.message));
    }, PRUNE_EVERY_MS);
    pruning.unref();

    scheduler.start();
    log(`serving ${options.checks.length} checks of ${options.rootUrl} at ${server.url}${coordinator ? ' (slots coordinated through PostgreSQL)' : ''}`);

    let stopped: Promise<void> | undefined;
    const stop = async () => {
      // One bound for the whole stop (Kubernetes kills the pod when its grace period ends): each step gets what
      // the steps before it left, the closing a reserved second.
      const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      const closeBy = performance.now() + timeoutMs;
      const drainBy = closeBy - Math.min(CLOSE_RESERVE_MS, timeoutMs / 10);
      const left = (by: number) => Math.max(0, by - performance.now());
      const bound = `the shutdown timeout (${formatDuration(timeoutMs)})`;
      clearInterval(pruning);
      scheduler.stop();
      stopping.abort();
      if (!(await scheduler.drain(left(drainBy)))) log(`gave up waiting for ${scheduler.running().join(', ')} to clean up: ${bound} passed`);
      if (!(await settlesWithin(recorder.drain(), left(drainBy)))) log(`gave up recording ${recorder.state().pending} history write(s): ${bound} passed`);
      const givenUp = alerts ? await alerts.stop(left(drainBy)) : 0;
      if (givenUp > 0) log(`gave up ${givenUp} alert message(s) still being sent: ${bound} passed`);
      if (!(await settlesWithin(closeAll(closers, log), left(closeBy)))) log(`gave up closing the HTTP server, the history and Pulse: ${bound} passed`);
    };
    return { url: server.url, scheduler, stop: () => (stopped ??= stop()) };
  } catch (error) {
    await closeAll(closers, log);
    throw error;
  }
}

interface HeartbeatSources {
  scheduler: Scheduler;
  recorder: HistoryRecorder;
  store: HistoryStore;
  coordinator: PostgresRunCoordinator | undefined;
  pulse: PulseConnection | undefined;
}

function heartbeatParts({ scheduler, recorder, store, coordinator, pulse }: HeartbeatSources): HeartbeatPart[] {
  const parts: HeartbeatPart[] = [
    {
      name: 'scheduler',
      probe: async () => {
        const health = scheduler.health();
        const stalled = health.jobs > 0 && health.late.length === health.jobs;
        const status = !health.running || stalled ? 'error' : health.late.length > 0 ? 'warning' : 'ok';
        return { status, details: health };
      },
    },
    {
      name: 'history',
      probe: async () => {
        const state = recorder.state();
        // A read proves the store answers; the recorder's last write says whether it takes writes.
        await store.recentRuns(1);
        return { status: state.writable ? 'ok' : 'error', details: { store: store.label, ...state } };
      },
    },
  ];
  if (coordinator) parts.push({ name: 'coordinator', probe: async () => (await coordinator.ping(), { status: 'ok' }) });
  // Declaring the result exchange (idempotent, in our own namespace) needs a live connection: it opens or reopens one.
  if (pulse) parts.push({ name: 'pulse', probe: async () => (await pulse.declareExchange(checkResultExchange(pulse.namespace)), { status: 'ok' }) });
  return parts;
}

function logSchedulerEvent(event: SchedulerEvent, log: (line: string) => void): void {
  const slot = event.slot.toISOString();
  if (event.type === 'failed') log(`ERROR ${event.jobId} (slot ${slot}) crashed: ${(event.error as Error)?.stack ?? String(event.error)}`);
  if (event.type === 'skipped' && (event.reason === 'overlap' || event.reason === 'missed' || event.reason === 'coordinator-error')) {
    log(`SKIP-SLOT ${event.jobId} (slot ${slot}): ${event.reason === 'overlap' ? 'its previous run is still going' : event.reason}`);
  }
}

/** A kept answer is sent many times: its body is encoded once, not on every request. */
async function encoded(reply: Promise<Reply>): Promise<Reply> {
  const { body, ...rest } = await reply;
  return { ...rest, body: Buffer.from(body) };
}

async function closeAll(closers: ReadonlyArray<() => Promise<void>>, log: (line: string) => void): Promise<void> {
  for (const close of closers) {
    await close().catch((error: Error) => log(`while stopping: ${error.message}`));
  }
}
