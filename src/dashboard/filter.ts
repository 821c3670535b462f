// The overview's filters (by tag, by outcome) and its overall verdict.

import type { CheckRow } from './overview-data.js';
import { DISPLAY_OUTCOMES, isDown, type RowOutcome } from './outcome.js';

/** `down` is failed or error: what an on-call person filters for. */
export type OutcomeFilter = RowOutcome | 'down';
export const OUTCOME_FILTERS: readonly OutcomeFilter[] = ['down', ...DISPLAY_OUTCOMES, 'none'];

export interface RowFilter {
  tag?: string;
  outcome?: OutcomeFilter;
}

export function parseFilter(params: URLSearchParams): RowFilter {
  const tag = params.get('tag') || undefined;
  const outcome = OUTCOME_FILTERS.find((candidate) => candidate === params.get('outcome'));
  return { tag, outcome };
}

export function matchesFilter(row: CheckRow, filter: RowFilter): boolean {
  if (filter.tag !== undefined && !row.check.tags.includes(filter.tag)) return false;
  if (filter.outcome === 'down') return isDown(row.outcome);
  return filter.outcome === undefined || row.outcome === filter.outcome;
}

export type OverallState = 'down' | 'up' | 'unknown';

export interface OverallStatus {
  state: OverallState;
  down: CheckRow[];
  counts: Record<RowOutcome, number>;
}

/** Down when any check is down (maintenance excepted); unknown when no check has a result yet. */
export function overallStatus(rows: readonly CheckRow[]): OverallStatus {
  const counts = Object.fromEntries([...DISPLAY_OUTCOMES, 'none'].map((outcome) => [outcome, 0])) as Record<RowOutcome, number>;
  for (const row of rows) counts[row.outcome] += 1;
  const down = rows.filter((row) => isDown(row.outcome));
  const state = down.length > 0 ? 'down' : rows.every((row) => row.outcome === 'none') ? 'unknown' : 'up';
  return { state, down, counts };
}
