// Everything the overview shows, from the store's cheap reads: the `latest` row of each check, uptimes from
// the hourly aggregates, and the cached strips of recent results. Nothing here grows with the history's size.

import { stepErrorLine } from '../report/format.js';
import type { HistoryStore, LatestResult, Uptime } from '../history/store.js';
import { checkFromHistory, type DashboardCheck } from './checks.js';
import { keyMetric, type NamedMetric } from './key-metric.js';
import { displayOutcome, type DisplayOutcome, type MaintenanceLookup, type MaintenanceNote, type RowOutcome } from './outcome.js';
import type { RecentResults } from './recent-results.js';
import { WINDOWS, type TimeWindow } from './windows.js';

export interface StripCell {
  at: string;
  outcome: DisplayOutcome;
}

export interface CheckRow {
  check: DashboardCheck;
  /** The latest result's outcome, or maintenance while a window covers the check now. */
  outcome: RowOutcome;
  /** The window covering the check now, from the calendar. */
  maintenance?: MaintenanceNote;
  latestAt?: string;
  /** When the current up/down/skipped stretch began. */
  since?: string;
  consecutiveFailures: number;
  /** By window key; absent when nothing counted in that window. */
  uptime: Partial<Record<TimeWindow['key'], Uptime>>;
  keyMetric?: NamedMetric;
  /** Why the latest result failed, in one line. */
  reason?: string;
  /** Oldest first; each result as it was recorded, inside its maintenance window or not. */
  strip: StripCell[];
}

export interface OverviewSources {
  store: Pick<HistoryStore, 'latestResults' | 'uptimes'>;
  checks: ReadonlyMap<string, DashboardCheck>;
  recent: RecentResults;
  /** Asked about now only: a past result says itself whether it ran in a window. */
  maintenance?: MaintenanceLookup;
}

export async function loadCheckRows(sources: OverviewSources, now: number): Promise<CheckRow[]> {
  const [latest, ...uptimes] = await Promise.all([
    sources.store.latestResults(),
    ...WINDOWS.map((window) => sources.store.uptimes(now - window.ms)),
  ]);
  const latestById = new Map(latest.map((entry) => [entry.checkId, entry]));
  const ids = [...new Set([...sources.checks.keys(), ...latestById.keys()])].sort();
  return Promise.all(ids.map((id) => checkRow(sources, id, latestById.get(id), WINDOWS.map((_, i) => uptimes[i]!.get(id)), now)));
}

/** One check's row; `uptimes` in the order of WINDOWS. Pages that show no strip skip reading its results. */
export async function checkRow(
  sources: OverviewSources, id: string, entry: LatestResult | undefined, uptimes: readonly (Uptime | undefined)[], now: number,
  options: { strip: boolean } = { strip: true },
): Promise<CheckRow> {
  const check = sources.checks.get(id) ?? checkFromHistory(entry!);
  const uptime = Object.fromEntries(WINDOWS.flatMap((window, i) => {
    const value = uptimes[i];
    return value && value.counted > 0 ? [[window.key, value]] : [];
  }));
  if (!entry) return { check, outcome: 'none', consecutiveFailures: 0, uptime, strip: [] };
  const maintenance = sources.maintenance?.(id, now);
  const { result } = entry;
  const recent = options.strip ? await sources.recent.of(entry) : [];
  const failing = result.outcome === 'failed' || result.outcome === 'error';
  return {
    check,
    uptime,
    outcome: displayOutcome(result, maintenance),
    maintenance,
    latestAt: result.startedAt,
    since: entry.since,
    consecutiveFailures: entry.consecutiveFailures,
    keyMetric: keyMetric(result.metrics, check.dashboard?.keyMetric),
    reason: failing && result.error ? stepErrorLine(result.error) : undefined,
    strip: recent.map((cell): StripCell => ({ at: cell.at, outcome: displayOutcome(cell, cell.maintenance) })),
  };
}
