// The `retention:` section: how long the history keeps what it recorded. Passing results are the bulk and
// matter least once aggregated; failures are what people come back for.

import { LONGEST_DURATION_MS } from '../check/duration.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../history/store.js';
import type { ConfigReader } from './reader.js';

const KEYS = ['results', 'failures', 'aggregates'] as const;
/** Shorter would prune what a run just recorded, and the earlier results cross-run verdicts read. */
const MIN_RETENTION_MS = 86_400_000;

export function readRetention(read: ConfigReader, value: unknown): RetentionPolicy | undefined {
  const raw = read.mapping(value, 'retention', KEYS);
  if (!raw) return undefined;
  const duration = (key: (typeof KEYS)[number]) => {
    if (raw[key] === undefined) return undefined;
    return read.duration(raw[key], `retention.${key}`, { minMs: MIN_RETENTION_MS, maxMs: LONGEST_DURATION_MS });
  };
  const results = duration('results') ?? DEFAULT_RETENTION.raw;
  const failures = duration('failures');
  if (failures !== undefined && failures < results) read.problem('retention.failures', 'must be at least retention.results: failures are kept longer than other results');
  return {
    raw: results,
    // Unset, failures are kept at least as long as the other results.
    failed: failures ?? Math.max(DEFAULT_RETENTION.failed, results),
    aggregates: duration('aggregates') ?? DEFAULT_RETENTION.aggregates,
  };
}
