// The `retention:` section: how long the history keeps what it recorded. Passing results are the bulk and
// matter least once aggregated; failures are what people come back for.

import type { RetentionPolicy } from '../history/store.js';
import type { ConfigReader } from './reader.js';

const KEYS = ['results', 'failures', 'aggregates'] as const;

export function readRetention(read: ConfigReader, value: unknown, defaults: RetentionPolicy): RetentionPolicy {
  const raw = read.mapping(value, 'retention', KEYS);
  if (!raw) return defaults;
  const duration = (key: (typeof KEYS)[number]) => (raw[key] === undefined ? undefined : read.duration(raw[key], `retention.${key}`));
  const policy: RetentionPolicy = {
    raw: duration('results') ?? defaults.raw,
    failed: duration('failures') ?? defaults.failed,
    aggregates: duration('aggregates') ?? defaults.aggregates,
  };
  if (policy.failed < policy.raw) read.problem('retention.failures', 'must be at least retention.results: failures are kept longer than other results');
  return policy;
}
