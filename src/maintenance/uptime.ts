// Uptime with maintenance set apart: a result that started inside a maintenance window of its check counts
// neither up nor down; it is counted on its own, so a report can say "99.2 % (12 results in maintenance)".

import { emptyCounts, uptimeOf } from '../history/accounting.js';
import type { HistoryOutcome, Uptime } from '../history/store.js';
import type { ActiveMaintenance } from './calendar.js';

export interface UptimeWithMaintenance extends Uptime {
  /** Results (skipped ones aside) that started inside a maintenance window: in neither `up` nor `counted`. */
  inMaintenance: number;
}

/**
 * The uptime of one check's results, given the windows that cover it over the same period
 * (MaintenanceCalendar.windowsBetween). Aborted results count neither way, as in the history's own uptime.
 */
export function uptimeOutsideMaintenance(results: ReadonlyArray<{ outcome: HistoryOutcome; startedAt: string }>, windows: readonly ActiveMaintenance[]): UptimeWithMaintenance {
  const spans = windows.map((window) => [Date.parse(window.start), Date.parse(window.end)] as const);
  const counts = emptyCounts();
  let inMaintenance = 0;
  for (const { outcome, startedAt } of results) {
    if (outcome === 'skipped' || outcome === 'aborted') continue;
    const at = Date.parse(startedAt);
    if (spans.some(([start, end]) => at >= start && at < end)) inMaintenance += 1;
    else counts[outcome] += 1;
  }
  return { ...uptimeOf(counts), inMaintenance };
}
