// The one metric an overview row shows: the one over its limit if any, else the one the check declares, else
// the first with a limit (an SLA), else the first at all.

import type { MetricResult } from '../check/result.js';

export interface NamedMetric extends MetricResult {
  name: string;
}

export function keyMetric(metrics: Record<string, MetricResult>, declared?: string): NamedMetric | undefined {
  const named = Object.entries(metrics).map(([name, metric]) => ({ name, ...metric }));
  return named.find((metric) => metric.ok === false) ?? named.find((metric) => metric.name === declared)
    ?? named.find((metric) => metric.limit !== undefined) ?? named[0];
}
