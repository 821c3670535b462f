// Text for people on the dashboard: times in UTC, ages, uptimes and metric values with their units.

import { formatNumber } from '../report/format.js';
import { formatElapsed } from '../check/duration.js';

/** "2025-03-01 10:04 UTC" (or 10:04:05 with seconds): one timezone for everyone on call. */
export function formatUtc(iso: string, withSeconds = false): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

/** "4 min", "3 h 05 min", "2 d 4 h": how long ago, to the precision that matters at that age. */
export function formatAge(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Uptime to two decimals, rounded down so that 99.999 % never reads as 100 %; "—" when nothing counted. */
export function formatUptime(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  if (ratio === 1) return '100 %';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)} %`;
}

/** A metric's value with its unit: durations read as durations, counts as bare numbers. */
export function formatMetricValue(value: number, unit: string): string {
  if (unit === 'ms') return formatElapsed(value);
  if (unit === 's') return formatElapsed(value * 1000);
  return unit && unit !== 'count' ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}
