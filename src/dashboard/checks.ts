// What the dashboard says about a check besides its results: from the catalogue as `serve` runs it, or, for a
// check that left the catalogue but is still in the history, from its latest result.

import type { AnyCheck, DashboardHints, Watches } from '../check/define.js';
import { DEFAULT_SCHEDULE } from '../catalogue/schedule.js';
import type { LatestResult } from '../history/store.js';
import { formatExpression, requiredScopes } from '../runner/preflight.js';

export interface DashboardCheck {
  id: string;
  description: string;
  tags: string[];
  /** The scope expression in words; empty when the check needs none. */
  scopes: string;
  /** Cron expression; empty for a check that is no longer scheduled. */
  schedule: string;
  watches?: Watches;
  /** What the check declares the dashboard shows of it. */
  dashboard?: DashboardHints;
}

/** A check as `serve` schedules it (the shape of its ScheduledCheck). */
export interface ServedCheck {
  check: AnyCheck;
  /** Its parameters, for scopes that depend on them. */
  params?: Record<string, unknown>;
  /** The cron schedule `serve` really uses (config overrides applied). */
  cron?: string;
}

export function describeChecks(checks: readonly ServedCheck[]): Map<string, DashboardCheck> {
  return new Map(checks.map(({ check, params, cron }) => {
    const scopes = requiredScopes(check, params ?? {});
    return [check.id, {
      id: check.id,
      description: check.description,
      tags: check.tags ?? [],
      scopes: scopes === undefined ? '' : formatExpression(scopes),
      schedule: cron ?? check.schedule ?? DEFAULT_SCHEDULE,
      ...(check.watches ? { watches: check.watches } : {}),
      ...(check.dashboard ? { dashboard: check.dashboard } : {}),
    }];
  }));
}

/** The worker pool whose page gathers this check, if it declares one. */
export function poolOf(check: DashboardCheck): string | undefined {
  const group = check.dashboard?.group;
  return group?.kind === 'pool' ? group.id : undefined;
}

export function checkFromHistory(latest: LatestResult): DashboardCheck {
  return { id: latest.checkId, description: latest.result.description, tags: latest.result.tags, scopes: '', schedule: '' };
}
