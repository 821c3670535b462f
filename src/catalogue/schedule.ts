// A check's cron schedule: the first matching checks.schedules.<pattern>, else its own (pool checks take their
// pool's schedule), else every 15 minutes.

import type { AnyCheck } from '../check/define.js';
import { matchesPattern } from './pattern.js';

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export function effectiveSchedule(check: AnyCheck, overrides: Record<string, string>): string {
  const pattern = Object.keys(overrides).find((p) => matchesPattern(check.id, p));
  return pattern !== undefined ? overrides[pattern]! : check.schedule ?? DEFAULT_SCHEDULE;
}
