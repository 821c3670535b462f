// Percentiles over months of results without reading every value: each metric value is counted in a
// logarithmic bucket (the hourly aggregates keep counts per bucket), and a percentile is read back from the
// cumulative counts. Buckets grow by 2 %, so the value handed back is within 1 % of the exact one.
//
// Bucket numbers sort like the values they stand for: 0 holds zero, positive numbers hold positive values
// and negative numbers negative ones, so `ORDER BY bucket` is `ORDER BY value`.

const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Keeps every positive value's bucket above zero: |log_1.02(x)| < 40,000 for any double. */
const OFFSET = 50_000;

export function bucketOf(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const bucket = Math.round(Math.log(Math.abs(value)) / LOG_GROWTH) + OFFSET;
  return value > 0 ? bucket : -bucket;
}

/** The value a bucket stands for (the geometric middle of its range). */
export function bucketValue(bucket: number): number {
  if (bucket === 0) return 0;
  const magnitude = Math.exp((Math.abs(bucket) - OFFSET) * LOG_GROWTH);
  return bucket > 0 ? magnitude : -magnitude;
}

/** Counts per bucket, and the exact extremes that clamp what the buckets approximate. */
export interface Histogram {
  buckets: Map<number, number>;
  min: number;
  max: number;
}

export function emptyHistogram(): Histogram {
  return { buckets: new Map(), min: Infinity, max: -Infinity };
}

export function addToHistogram(histogram: Histogram, bucket: number, count: number): void {
  histogram.buckets.set(bucket, (histogram.buckets.get(bucket) ?? 0) + count);
}

/** Widens the exact extremes. */
export function includeInRange(histogram: Histogram, min: number, max: number): void {
  histogram.min = Math.min(histogram.min, min);
  histogram.max = Math.max(histogram.max, max);
}

/**
 * Nearest-rank percentiles (p in 0..100): the smallest value with at least p % of the values at or below it.
 * One pass over the sorted buckets answers every requested p.
 */
export function percentiles(histogram: Histogram, ps: readonly number[]): number[] {
  const sorted = [...histogram.buckets].sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const [bucket, count] of sorted) {
      seen += count;
      if (seen >= rank) return Math.min(histogram.max, Math.max(histogram.min, bucketValue(bucket)));
    }
    return histogram.max;
  });
}
