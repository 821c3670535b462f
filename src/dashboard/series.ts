// A metric's points as a plot draws them: x in epoch seconds (uPlot's unit), the value, and the limit that
// held at each point (a limit can change with the config, so it is a line of its own, not one constant).
// Long windows are thinned to at most MAX_POINTS by keeping the highest point of each time bucket: an SLA is
// broken by peaks, so thinning must never hide one.

import type { MetricPoint } from '../history/store.js';

export const MAX_POINTS = 1500;

export interface PlotSeries {
  x: number[];
  value: number[];
  /** null where the point had no limit. */
  limit: (number | null)[];
  /** Milliseconds per bucket when the series was thinned; absent when every point is shown. */
  bucketMs?: number;
}

export function plotSeries(points: readonly MetricPoint[], since: number, until: number, maxPoints = MAX_POINTS): PlotSeries {
  const kept = points.length <= maxPoints ? points : highestPerBucket(points, since, until, maxPoints);
  const series: PlotSeries = {
    x: kept.map((point) => Date.parse(point.at) / 1000),
    value: kept.map((point) => point.value),
    limit: kept.map((point) => point.limit ?? null),
  };
  if (kept !== points) series.bucketMs = Math.ceil((until - since) / maxPoints);
  return series;
}

function highestPerBucket(points: readonly MetricPoint[], since: number, until: number, buckets: number): MetricPoint[] {
  const width = Math.ceil((until - since) / buckets);
  const highest = new Map<number, MetricPoint>();
  for (const point of points) {
    const bucket = Math.floor((Date.parse(point.at) - since) / width);
    const current = highest.get(bucket);
    if (!current || point.value > current.value) highest.set(bucket, point);
  }
  return [...highest.values()];
}
