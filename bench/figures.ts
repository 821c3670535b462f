// How the benches print their figures, and the median they take of repeated runs.

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;
export const growth = (from: number, to: number): number => (to - from) / from;
