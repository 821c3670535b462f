// The `maintenance:` section: windows of local wall-clock time during which checks still run and are
// recorded, but alerts are muted. Times are read in the window's IANA timezone, so "02:00 on Sundays"
// stays 02:00 across daylight-saving changes (see src/maintenance/wall-clock.ts for the edge cases).

import { POSITIVE_DURATION } from '../check/duration.js';
import { join, type ConfigReader } from './reader.js';

export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** A local date and time, as written; `date` is absent for a time of day that recurs. */
export interface LocalStart {
  date?: { year: number; month: number; day: number };
  hour: number;
  minute: number;
}

export type Recurrence =
  /** 0 = Sunday ... 6 = Saturday, at the start's time of day. */
  | { weekdays: number[] }
  /** A five-field cron expression read in the window's timezone; it gives the start times. */
  | { cron: string };

export interface MaintenanceWindowConfig {
  /** A check-id pattern: whole ids, `*` matches any characters. */
  checks: string;
  /**
   * The only window's start; with weekdays, their time of day (and, with a date, the first day); with a cron,
   * the moment from which its windows begin (optional).
   */
  start?: LocalStart;
  /** Milliseconds each window lasts (elapsed time, so a window over a DST change lasts exactly this long). */
  duration: number;
  every?: Recurrence;
  timezone: string;
  reason: string;
}

const WINDOW_KEYS = ['checks', 'start', 'duration', 'every', 'timezone', 'reason'] as const;
/** A recurring window longer than a week would overlap itself; it also bounds how far back a lookup searches. */
const MAX_RECURRING_DURATION_MS = 7 * 86_400_000;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})$/;

export function readMaintenance(read: ConfigReader, value: unknown): MaintenanceWindowConfig[] {
  const windows: MaintenanceWindowConfig[] = [];
  (read.list(value, 'maintenance') ?? []).forEach((item, i) => {
    const at = join('maintenance', i);
    const raw = read.mapping(item, at, WINDOW_KEYS);
    if (!raw) return;
    const required = <T>(key: string, readValue: (v: unknown, p: string) => T | undefined): T | undefined =>
      raw[key] === undefined ? read.problem(join(at, key), 'is required') : readValue(raw[key], join(at, key));
    const checks = required('checks', (v, p) => read.string(v, p));
    const duration = required('duration', (v, p) => read.duration(v, p, POSITIVE_DURATION));
    const timezone = required('timezone', (v, p) => readTimezone(read, v, p));
    const reason = required('reason', (v, p) => read.string(v, p));
    const every = raw.every === undefined ? undefined : readRecurrence(read, raw.every, join(at, 'every'));
    const start = raw.start === undefined ? undefined : readStart(read, raw.start, join(at, 'start'));

    // Judged by the shape `every` was written in, so a mistake inside it is reported once, not again here.
    const byCron = typeof raw.every === 'string';
    const byWeekdays = Array.isArray(raw.every);
    if (raw.start === undefined && !byCron) read.problem(join(at, 'start'), 'is required (only a cron `every` gives start times by itself)');
    if (start && !start.date && !byWeekdays) read.problem(join(at, 'start'), 'a time of day alone needs `every` with a list of weekdays; otherwise give a date: YYYY-MM-DD HH:MM');
    if (raw.every !== undefined && duration !== undefined && duration > MAX_RECURRING_DURATION_MS) read.problem(join(at, 'duration'), 'a recurring window lasts at most 7d');

    if (checks === undefined || duration === undefined || timezone === undefined || reason === undefined) return;
    if ((raw.every !== undefined && !every) || (raw.start !== undefined && !start) || (!start && !byCron)) return;
    const window: MaintenanceWindowConfig = { checks, duration, timezone, reason };
    if (start) window.start = start;
    if (every) window.every = every;
    windows.push(window);
  });
  return windows;
}

function readTimezone(read: ConfigReader, value: unknown, path: string): string | undefined {
  const zone = read.string(value, path);
  if (zone === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return read.problem(path, `expected an IANA timezone like Europe/Berlin or UTC, got ${JSON.stringify(zone)}`);
  }
}

function readStart(read: ConfigReader, value: unknown, path: string): LocalStart | undefined {
  const text = read.string(value, path);
  if (text === undefined) return undefined;
  const full = DATE_TIME.exec(text);
  const timeOnly = TIME_OF_DAY.exec(text);
  const [year, month, day, hour, minute] = full ? full.slice(1).map(Number) : timeOnly ? [0, 0, 0, ...timeOnly.slice(1).map(Number)] : [];
  const validDate = !full || (month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth(year!, month!));
  if ((!full && !timeOnly) || !validDate || hour! > 23 || minute! > 59) {
    return read.problem(path, `expected a local date and time YYYY-MM-DD HH:MM (or HH:MM with weekdays), got ${JSON.stringify(text)}`);
  }
  return full ? { date: { year: year!, month: month!, day: day! }, hour: hour!, minute: minute! } : { hour: hour!, minute: minute! };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function readRecurrence(read: ConfigReader, value: unknown, path: string): Recurrence | undefined {
  if (Array.isArray(value)) {
    const names = read.stringList(value, path);
    if (!names) return undefined;
    if (names.length === 0) return read.problem(path, 'lists no weekday');
    const weekdays = names.map((name, i) => {
      const day = WEEKDAY_NAMES.findIndex((full) => full === name.toLowerCase() || full.slice(0, 3) === name.toLowerCase());
      return day === -1 ? read.problem(join(path, i), `expected a weekday (mon, tue, ... or monday, ...), got ${JSON.stringify(name)}`) : day;
    });
    return weekdays.every((day): day is number => day !== undefined) ? { weekdays: [...new Set(weekdays)].sort() } : undefined;
  }
  const cron = read.cron(value, path);
  if (cron === undefined) return undefined;
  // Windows start on whole minutes; a seconds field would only pretend to be more precise.
  if (cron.trim().split(/\s+/).length !== 5) return read.problem(path, `expected a five-field cron expression (minute hour day month weekday), got ${JSON.stringify(cron)}`);
  return { cron };
}

/** Every check-id pattern the section names, with its path, so the loader can report those matching nothing. */
export function maintenancePatterns(windows: readonly MaintenanceWindowConfig[]): Array<{ pattern: string; path: string }> {
  return windows.map((window, i) => ({ pattern: window.checks, path: join(join('maintenance', i), 'checks') }));
}
