// The time windows the dashboard reports over: uptime columns and plot ranges.

const HOUR = 3_600_000;

export interface TimeWindow {
  key: '24h' | '7d' | '30d';
  label: string;
  ms: number;
}

export const WINDOWS: readonly TimeWindow[] = [
  { key: '24h', label: '24 h', ms: 24 * HOUR },
  { key: '7d', label: '7 d', ms: 7 * 24 * HOUR },
  { key: '30d', label: '30 d', ms: 30 * 24 * HOUR },
];

/** The window a `?window=` parameter names; 24 h when absent or unknown. */
export function windowNamed(key: string | null): TimeWindow {
  return WINDOWS.find((window) => window.key === key) ?? WINDOWS[0]!;
}
