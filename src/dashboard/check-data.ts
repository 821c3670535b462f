// Everything one check's page shows, over one time window. The page's lists come from the window's newest
// results (a bounded read); counts and percentiles come from the history's hourly aggregates.

import { compareVersions, LATEST, PREVIOUS, type Comparison } from '../compare/comparison.js';
import { DEFAULT_COMPARE_SETTINGS } from '../compare/verdict.js';
import type { CheckSummary, HistoryResult, HistoryStore } from '../history/store.js';
import { versionChanges, type VersionChange } from '../history/versions.js';
import { checkRow, type CheckRow, type OverviewSources, type StripCell } from './overview-data.js';
import { displayOutcome } from './outcome.js';
import { plotSeries } from './series.js';
import type { PlotView } from './plot.js';
import { WINDOWS, type TimeWindow } from './windows.js';

/** How many of the window's newest results the page reads for its timeline, failures and resources. */
export const RESULTS_READ = 500;
export const TIMELINE_LENGTH = 180;
const FAILURES_SHOWN = 10;
const RESOURCE_RUNS_SHOWN = 20;

export interface CheckSources extends OverviewSources {
  store: Pick<HistoryStore, 'latestResults' | 'uptimes' | 'uptime' | 'results' | 'summarize' | 'metricSeries' | 'versions' | 'versionSamples'>;
  nextRun?(checkId: string): Date | null | undefined;
}

export interface CheckPageData {
  row: CheckRow;
  window: TimeWindow;
  summary?: CheckSummary;
  nextRun?: Date;
  plots: PlotView[];
  /** Oldest first. */
  timeline: StripCell[];
  /** Newest first. */
  failures: HistoryResult[];
  /** Newest first: results that created something. */
  withResources: HistoryResult[];
  /** True when the window holds more results than were read. */
  truncated: boolean;
  /** The check's metrics on the newest version against the one before (`compare --baseline previous`). */
  comparison: Comparison;
}

/** What a check page compares: the newest version against the one before, over the default window of `compare`. */
const COMPARISON_WINDOW_MS = 30 * 86_400_000;

/** The page's data, or undefined when neither the catalogue nor the history knows the check. */
export async function loadCheckPage(sources: CheckSources, id: string, window: TimeWindow, now: number): Promise<CheckPageData | undefined> {
  const since = now - window.ms;
  const [latest, uptimes, summaries, results, changes, comparison] = await Promise.all([
    sources.store.latestResults([id]),
    Promise.all(WINDOWS.map((w) => sources.store.uptime(id, now - w.ms))),
    sources.store.summarize({ pattern: id, since }),
    sources.store.results({ checkPattern: id, since, limit: RESULTS_READ }),
    readVersionChanges(sources, since, now),
    compareVersions(sources.store, { baseline: PREVIOUS, current: LATEST, since: now - COMPARISON_WINDOW_MS, checkIds: [id], settings: DEFAULT_COMPARE_SETTINGS }),
  ]);
  const entry = latest.find((candidate) => candidate.checkId === id);
  if (!entry && !sources.checks.has(id)) return undefined;
  const summary = summaries.checks.find((check) => check.checkId === id);
  const metricNames = [...new Set([...Object.keys(entry?.result.metrics ?? {}), ...Object.keys(summary?.metrics ?? {})])];
  const plots = (await Promise.all(metricNames.map((name) => metricPlot(sources, id, name, since, now, summary))))
    .map((plot) => ({ ...plot, versions: changes }));
  return {
    // The timeline below comes from `results`: the row needs no strip of its own.
    row: await checkRow(sources, id, entry, uptimes, now, { strip: false }),
    window,
    summary,
    nextRun: sources.nextRun?.(id) ?? undefined,
    plots,
    timeline: results.slice(0, TIMELINE_LENGTH).reverse().map((result) => ({
      at: result.startedAt,
      outcome: displayOutcome(result, result.maintenance),
    })),
    failures: results.filter((result) => result.outcome === 'failed' || result.outcome === 'error').slice(0, FAILURES_SHOWN),
    withResources: results.filter((result) => result.resources.length > 0).slice(0, RESOURCE_RUNS_SHOWN),
    truncated: results.length === RESULTS_READ,
    comparison,
  };
}

/** The deployment's version changes inside [since, now], for the plots' lines. */
export async function readVersionChanges(sources: Pick<CheckSources, 'store'>, since: number, now: number): Promise<VersionChange[]> {
  return versionChanges(await sources.store.versions(0)).filter((change) => change.atMs >= since && change.atMs <= now);
}

export async function metricPlot(
  sources: Pick<CheckSources, 'store'>, checkId: string, name: string, since: number, now: number, summary?: CheckSummary, title = name,
): Promise<PlotView> {
  const points = await sources.store.metricSeries(checkId, name, since);
  const stats = summary?.metrics[name];
  return {
    name, title, unit: points.at(-1)?.unit ?? stats?.unit ?? '',
    series: plotSeries(points, since, now), from: since, to: now, summary: stats,
  };
}
