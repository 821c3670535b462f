// Plot series: every point while they fit, then the highest of each time bucket, so no SLA breach is hidden.

import { expect, test } from 'vitest';
import { plotSeries } from '../../src/dashboard/series.js';
import type { MetricPoint } from '../../src/history/store.js';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const point = (minute: number, value: number, limit?: number): MetricPoint =>
  ({ at: new Date(T0 + minute * 60_000).toISOString(), value, unit: 'ms', ...(limit !== undefined && { limit }) });

test('a short series is plotted whole, in epoch seconds, with the limit each point had', () => {
  const series = plotSeries([point(0, 10, 500), point(1, 20), point(2, 30, 400)], T0, T0 + 3 * 60_000);
  expect(series).toEqual({ x: [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120], value: [10, 20, 30], limit: [500, null, 400] });
});

test('a long series is thinned to the highest point of each bucket, keeping a lone spike', () => {
  const points = Array.from({ length: 10_000 }, (_, minute) => point(minute, minute === 7_777 ? 90_000 : 100, 60_000));
  const series = plotSeries(points, T0, T0 + 10_000 * 60_000, 100);
  expect(series.x).toHaveLength(100);
  expect(series.bucketMs).toBe(100 * 60_000);
  expect(Math.max(...series.value)).toBe(90_000);
  expect(series.x[series.value.indexOf(90_000)]).toBe((T0 + 7_777 * 60_000) / 1000);
  expect(series.x).toEqual([...series.x].sort((a, b) => a - b));
});
