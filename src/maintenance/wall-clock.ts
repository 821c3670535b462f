// Local wall-clock time in an IANA timezone, through Intl alone. A "wall time" is the local date and time
// encoded as if it were UTC (Date.UTC(year, month - 1, day, hour, minute)), so calendar arithmetic on it is
// plain arithmetic and never crosses a DST change by accident.
//
// Wall times that do not map to exactly one instant follow the usual ("compatible") rule:
// - in a spring-forward gap (02:30 on the last Sunday of March in Europe/Berlin does not exist), the time
//   moves forward by the gap: 02:30 becomes 03:30 CEST (01:30 UTC);
// - in a fall-back overlap (02:30 on the last Sunday of October happens twice), the earlier one is meant:
//   02:30 CEST (00:30 UTC).

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timezone, format);
  }
  return format;
}

/** The wall time an instant shows in a timezone (seconds kept, milliseconds dropped). */
export function wallTimeAt(instant: number, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timezone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** How far a timezone's wall clock is ahead of UTC at an instant. */
function offsetAt(instant: number, timezone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallTimeAt(whole, timezone) - whole;
}

/** The instant a wall time means in a timezone (see the rules above for gaps and overlaps). */
export function instantOf(wallTime: number, timezone: string): number {
  // No timezone changes its offset twice within two days, so the offsets a day either side are the only candidates.
  const before = offsetAt(wallTime - DAY_MS, timezone);
  const after = offsetAt(wallTime + DAY_MS, timezone);
  const candidates = [wallTime - before, wallTime - after].filter((instant) => wallTimeAt(instant, timezone) === wallTime);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: keep the offset from before the change, which lands as far past the change as the time was into the gap.
  return wallTime - before;
}

/** The weekday (0 = Sunday) of a wall time's date. */
export function weekdayOf(wallTime: number): number {
  return new Date(wallTime).getUTCDay();
}

/** Midnight of a wall time's date. */
export function dayOf(wallTime: number): number {
  return Math.floor(wallTime / DAY_MS) * DAY_MS;
}
