// Which maintenance window, if any, covers a check at a moment. Pure: a function of the configured windows
// and the time asked about, so the alert engine, `/status.json`, the dashboard and uptime reports all agree,
// for past results as for now.

import { matchesPattern } from '../catalogue/pattern.js';
import type { LocalStart, MaintenanceWindowConfig } from '../config/maintenance.js';
import { DAY_MS, MINUTE_MS, dayOf, instantOf, wallTimeAt, weekdayOf } from './wall-clock.js';
import type { MaintenanceInfo } from '../check/result.js';
import { loadOnUse } from '../load-on-use.js';

/** Loaded for the first window given by a cron: a run without one does not load node-cron. */
const nodeCron = loadOnUse<typeof import('node-cron')>('node-cron');

/** A window covering a check: what the status endpoint and the dashboard show as "maintenance". */
export interface ActiveMaintenance {
  reason: string;
  /** ISO instants: the window is [start, end). */
  start: string;
  end: string;
  /** Its index in the config's `maintenance` list. */
  window: number;
}

/** Start instants of one configured window's occurrences within [from, to]. */
type Occurrences = (from: number, to: number) => number[];

const HOUR_MS = 60 * MINUTE_MS;

function wallTimeOfStart(start: LocalStart): number {
  const { year, month, day } = start.date!;
  return Date.UTC(year, month - 1, day, start.hour, start.minute);
}

/** Every wall-clock midnight whose day may hold an occurrence in [from, to] (a day's margin for DST shifts). */
function daysAround(from: number, to: number, timezone: string): number[] {
  const days: number[] = [];
  for (let day = dayOf(wallTimeAt(from, timezone)) - DAY_MS; day <= dayOf(wallTimeAt(to, timezone)) + DAY_MS; day += DAY_MS) days.push(day);
  return days;
}

/** A matcher for a cron's wall-clock times: node-cron reads them in UTC, which is how wall times are encoded. */
function wallClockCron(expression: string): { match(wallTime: number): boolean; hours: number[]; minutes: number[] } {
  const cron = nodeCron();
  const task = cron.createTask(expression, () => undefined, { timezone: 'UTC' });
  // Only its matcher is used: out of node-cron's registry, so no scheduler or shutdown ever sees it.
  void task.destroy();
  const fields = cron.parse(expression);
  return { match: (wallTime) => task.match(new Date(wallTime)), hours: fields.hour, minutes: fields.minute };
}

function occurrencesOf(window: MaintenanceWindowConfig): Occurrences {
  const { timezone, every, start } = window;
  const inRange = (from: number, to: number) => (instant: number) => instant >= from && instant <= to;
  if (!every) {
    const only = instantOf(wallTimeOfStart(start!), timezone);
    return (from, to) => (inRange(from, to)(only) ? [only] : []);
  }
  const firstDay = start?.date ? dayOf(wallTimeOfStart(start)) : -Infinity;
  if ('weekdays' in every) {
    const timeOfDay = start!.hour * HOUR_MS + start!.minute * MINUTE_MS;
    return (from, to) => daysAround(from, to, timezone)
      .filter((day) => day >= firstDay && every.weekdays.includes(weekdayOf(day)))
      .map((day) => instantOf(day + timeOfDay, timezone))
      .filter(inRange(from, to));
  }
  const matcher = wallClockCron(every.cron);
  const notBefore = start?.date ? instantOf(wallTimeOfStart(start), timezone) : -Infinity;
  return (from, to) => {
    const starts: number[] = [];
    for (const day of daysAround(from, to, timezone)) {
      for (const hour of matcher.hours) {
        for (const minute of matcher.minutes) {
          const wallTime = day + hour * HOUR_MS + minute * MINUTE_MS;
          if (matcher.match(wallTime)) starts.push(instantOf(wallTime, timezone));
        }
      }
    }
    return starts.filter((instant) => instant >= notBefore && inRange(from, to)(instant));
  };
}

export class MaintenanceCalendar {
  private readonly windows: Array<{ config: MaintenanceWindowConfig; occurrences: Occurrences }>;

  constructor(windows: readonly MaintenanceWindowConfig[]) {
    this.windows = windows.map((config) => ({ config, occurrences: occurrencesOf(config) }));
  }

  /** The window covering a check at an instant (epoch ms); of several, the one ending last. */
  activeWindow(checkId: string, at: number): ActiveMaintenance | undefined {
    let active: ActiveMaintenance | undefined;
    this.forCheck(checkId, (config, index, occurrences) => {
      for (const start of occurrences(at - config.duration + 1, at)) {
        const end = start + config.duration;
        if (!active || end > Date.parse(active.end)) active = describe(config, index, start);
      }
    });
    return active;
  }

  /** The one-off windows (by index in the config) that ended before an instant: they can never apply again. */
  endedBefore(at: number): Array<{ window: number; end: string }> {
    return this.windows.flatMap(({ config, occurrences }, window) => {
      if (config.every) return [];
      // A one-off window has one start: ended when it lies at or before at - duration.
      const [start] = occurrences(-Infinity, at - config.duration);
      return start === undefined ? [] : [{ window, end: new Date(start + config.duration).toISOString() }];
    });
  }

  private forCheck(checkId: string, visit: (config: MaintenanceWindowConfig, index: number, occurrences: Occurrences) => void): void {
    this.windows.forEach(({ config, occurrences }, index) => {
      if (matchesPattern(checkId, config.checks)) visit(config, index, occurrences);
    });
  }
}

function describe(config: MaintenanceWindowConfig, index: number, start: number): ActiveMaintenance {
  return { reason: config.reason, start: new Date(start).toISOString(), end: new Date(start + config.duration).toISOString(), window: index };
}

/** What a result records of the window it ran in (see RunRequest.maintenance). */
export function maintenanceOf(calendar: MaintenanceCalendar): (checkId: string, at: number) => MaintenanceInfo | undefined {
  return (checkId, at) => {
    const window = calendar.activeWindow(checkId, at);
    return window && { reason: window.reason, until: window.end };
  };
}
