// What the dashboard shows for a result: its outcome, except that an interrupted check shows as aborted and
// a result inside a maintenance window shows as maintenance (it was recorded, but nobody should be paged).

import type { ErrorKind, Outcome } from '../check/result.js';

export const DISPLAY_OUTCOMES = ['passed', 'flaky', 'failed', 'error', 'skipped', 'aborted', 'maintenance'] as const;
export type DisplayOutcome = (typeof DISPLAY_OUTCOMES)[number];
/** A check that has no result yet. */
export type RowOutcome = DisplayOutcome | 'none';

export interface MaintenanceNote {
  reason: string;
}

/** The maintenance window covering a check at a time (epoch ms), if any. */
export type MaintenanceLookup = (checkId: string, at: number) => MaintenanceNote | undefined;

export const OUTCOME_LABELS: Record<RowOutcome, string> = {
  passed: 'Passed',
  flaky: 'Flaky',
  failed: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
  aborted: 'Aborted',
  maintenance: 'Maintenance',
  none: 'No data',
};

/** A glyph beside each colour, so the status never depends on colour alone. */
export const OUTCOME_GLYPHS: Record<RowOutcome, string> = {
  passed: '✓',
  flaky: '≈',
  failed: '✗',
  error: '!',
  skipped: '–',
  aborted: '■',
  maintenance: '⚒',
  none: '·',
};

export function displayOutcome(result: { outcome: Outcome; error?: { kind: ErrorKind } }, maintenance?: MaintenanceNote): DisplayOutcome {
  if (maintenance) return 'maintenance';
  if (result.error?.kind === 'aborted') return 'aborted';
  return result.outcome;
}

/** Down means someone should look: failed or errored outside maintenance. */
export function isDown(outcome: RowOutcome): boolean {
  return outcome === 'failed' || outcome === 'error';
}
