// The unified status report (GET /status.json) and its per-check part (GET /checks/<id>), built from the
// history, so every replica sharing a PostgreSQL history answers the same. Its shape is a public contract:
// docs/status.schema.json.
//
// A check succeeds when its latest result passed, was flaky, or was skipped (as in the exit code: a skip is
// not a failure); a check with no result yet does not succeed, since nothing says it works. A check inside a
// maintenance window succeeds whatever its results: the work is planned, and nobody should be paged for it.

import type { ErrorInfo, MaintenanceInfo, MetricResult, Outcome } from '../check/result.js';
import type { Watches } from '../check/define.js';
import type { Clock } from '../clock.js';
import type { HistoryStore, LatestResult, Uptime } from '../history/store.js';

export interface StatusCheckInfo {
  id: string;
  description: string;
  tags: string[];
  watches?: Watches;
  schedule: string;
  nextRun(): Date | null;
}

export interface UptimeWindow {
  ratio: number | null;
  up: number;
  counted: number;
  /** Results inside maintenance windows, counted apart (in neither up nor counted). */
  inMaintenance: number;
}

export interface CheckStatus {
  id: string;
  description: string;
  tags: string[];
  /** The background process the check exercises, when it declares one: group by it to see which loop is down. */
  watches?: Watches;
  schedule: string;
  nextRunAt: string | null;
  /** The maintenance window covering the check now, from the configured calendar. */
  maintenance: MaintenanceInfo | null;
  success: boolean;
  /** up: passed or flaky; down: failed or error; skipped; unknown: no result yet. */
  health: 'up' | 'down' | 'skipped' | 'unknown';
  outcome: Outcome | null;
  /** When the current health began. */
  since: string | null;
  /** The deployment version the current health began on: a check that broke with a release shows it. */
  sinceVersion: string | null;
  consecutiveFailures: number;
  latest: { runId: string; startedAt: string; durationMs: number; attempts: number } | null;
  uptime: { '24h': UptimeWindow; '7d': UptimeWindow };
  /** The latest result's metrics, each against its limit. */
  metrics: Record<string, MetricResult>;
  /** The latest result's error; null while it passes. */
  lastError: ErrorInfo | null;
  skipReason: string | null;
}

export interface StatusReport {
  schemaVersion: 1;
  /** ok when every check succeeds, else failing. */
  status: 'ok' | 'failing';
  success: boolean;
  generatedAt: string;
  rootUrl: string;
  /** The version of the deployment as the newest recorded result saw it; null when unknown. */
  deployment: { version: string | null };
  /** By health, plus how many checks are inside a maintenance window now (whatever their health). */
  summary: { checks: number; up: number; down: number; skipped: number; unknown: number; maintenance: number };
  checks: CheckStatus[];
}

export interface StatusSource {
  rootUrl: string;
  checks: readonly StatusCheckInfo[];
  store: Pick<HistoryStore, 'latestResults' | 'uptimes'>;
  /** The maintenance window covering a check at an instant (epoch ms), if any. */
  maintenance?: (checkId: string, at: number) => MaintenanceInfo | undefined;
  clock: Clock;
}

const DAY_MS = 86_400_000;
const NO_RESULTS: Uptime = { up: 0, counted: 0, ratio: null, inMaintenance: 0 };

export async function statusReport(source: StatusSource): Promise<StatusReport> {
  const { checks, latest } = await checkStatuses(source, source.checks);
  const newest = latest.reduce<LatestResult | undefined>((found, entry) => (!found || entry.result.startedAt > found.result.startedAt ? entry : found), undefined);
  const count = (health: CheckStatus['health']) => checks.filter((check) => check.health === health).length;
  const success = checks.every((check) => check.success);
  return {
    schemaVersion: 1,
    status: success ? 'ok' : 'failing',
    success,
    generatedAt: new Date(source.clock.now()).toISOString(),
    rootUrl: source.rootUrl,
    deployment: { version: newest?.deploymentVersion ?? null },
    summary: {
      checks: checks.length, up: count('up'), down: count('down'), skipped: count('skipped'), unknown: count('unknown'),
      maintenance: checks.filter((check) => check.maintenance !== null).length,
    },
    checks,
  };
}

/** One check's status, or undefined when the service does not run that check. */
export async function checkStatus(source: StatusSource, id: string): Promise<CheckStatus | undefined> {
  const info = source.checks.find((check) => check.id === id);
  if (!info) return undefined;
  const { checks: [status] } = await checkStatuses(source, [info], [id]);
  return status;
}

/** The status of the given checks; `only` narrows the history reads to them (one check's URL, polled per check). */
async function checkStatuses(source: StatusSource, infos: readonly StatusCheckInfo[], only?: readonly string[]): Promise<{ checks: CheckStatus[]; latest: LatestResult[] }> {
  const now = source.clock.now();
  const [latest, day, week] = await Promise.all([
    source.store.latestResults(only),
    source.store.uptimes(now - DAY_MS, only),
    source.store.uptimes(now - 7 * DAY_MS, only),
  ]);
  const latestById = new Map(latest.map((entry) => [entry.checkId, entry]));
  const checks = infos.map((info) => toCheckStatus(info, latestById.get(info.id), source.maintenance?.(info.id, now), {
    '24h': window(day.get(info.id)),
    '7d': window(week.get(info.id)),
  }));
  return { checks, latest };
}

function window(uptime: Uptime | undefined): UptimeWindow {
  const { ratio, up, counted, inMaintenance } = uptime ?? NO_RESULTS;
  return { ratio, up, counted, inMaintenance };
}

function toCheckStatus(info: StatusCheckInfo, latest: LatestResult | undefined, maintenance: MaintenanceInfo | undefined, uptime: CheckStatus['uptime']): CheckStatus {
  const result = latest?.result;
  const health = latest?.health ?? 'unknown';
  return {
    id: info.id,
    description: info.description,
    tags: info.tags,
    ...(info.watches ? { watches: info.watches } : {}),
    schedule: info.schedule,
    nextRunAt: info.nextRun()?.toISOString() ?? null,
    maintenance: maintenance ?? null,
    success: maintenance !== undefined || (health !== 'unknown' && health !== 'down'),
    health,
    outcome: result?.outcome ?? null,
    since: latest?.since ?? null,
    sinceVersion: latest?.sinceVersion ?? null,
    consecutiveFailures: latest?.consecutiveFailures ?? 0,
    latest: result ? { runId: result.runId, startedAt: result.startedAt, durationMs: result.durationMs, attempts: result.attempts.length } : null,
    uptime,
    metrics: result?.metrics ?? {},
    lastError: result?.error ?? null,
    skipReason: result?.skipReason ?? null,
  };
}
