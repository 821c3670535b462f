// Whether a queue grows faster than it drains, judged across runs. Each run of pulse.queue.<name> records the
// depth of every queue it matched (metric `<queue>.messages`); a queue whose depth rose from each run to the
// next, back to the last run where it did not, has been growing since that run. The broker's own rates are
// averages over its last few seconds of sampling, so the verdict rests on the depths, which count every
// message published, delivered, acked or expired in between.

import type { EarlierResult } from '../check/context.js';

export interface DepthSample {
  atMs: number;
  messages: number;
}

/** The name a per-queue metric is recorded under: `<queue>.<metric>`. */
export function queueMetric(queue: string, metric: string): string {
  return `${queue}.${metric}`;
}

/** The queue's depth in each earlier result that recorded it, oldest first. */
export function depthSamples(results: readonly EarlierResult[], queue: string): DepthSample[] {
  const name = queueMetric(queue, 'messages');
  return results.flatMap(({ startedAt, metrics }) => {
    const depth = metrics[name];
    return depth ? [{ atMs: Date.parse(startedAt), messages: depth.value }] : [];
  });
}

export interface Growth {
  /** The last sample that was not deeper than the one before it: where the growth started. */
  from: DepthSample;
  to: DepthSample;
  /** How many samples the growth spans, `from` included. */
  samples: number;
  spanMs: number;
}

/** The growth that ends at the newest sample (oldest first), or undefined when the newest is no deeper than the one before. */
export function currentGrowth(samples: readonly DepthSample[]): Growth | undefined {
  let start = samples.length - 1;
  while (start > 0 && samples[start]!.messages > samples[start - 1]!.messages) start -= 1;
  const from = samples[start];
  const to = samples.at(-1);
  if (!from || !to || from === to) return undefined;
  return { from, to, samples: samples.length - start, spanMs: to.atMs - from.atMs };
}
