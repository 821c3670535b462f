// `pulse.queues`: the Pulse queues watched through the broker's management API, one check each
// (pulse.queue.<name>). Names are checked here, so two entries that would make the same check id are reported
// with the config's other problems.

import { ConfigReader, join } from './reader.js';
import type { PulseQueueConfig } from './types.js';

const QUEUE_KEYS = ['name', 'pattern', 'vhost', 'maxMessages', 'maxMessagesAge', 'minConsumers', 'maxGrowth'] as const;
/** What follows `pulse.queue.` in a check id (src/catalogue/load.ts): dotted words of letters, digits, _, / and -. */
const NAME = /^[A-Za-z0-9_/-]+(\.[A-Za-z0-9_/-]+)*$/;
export const DEFAULT_MIN_CONSUMERS = 1;

/** The check name a pattern gets without a `name`: every character other than letters, digits, _, / and - becomes _. */
export function defaultQueueCheckName(pattern: string): string {
  return pattern.replace(/[^A-Za-z0-9_/-]/g, '_');
}

export function readPulseQueues(read: ConfigReader, value: unknown, at: string): PulseQueueConfig[] {
  const queues: PulseQueueConfig[] = [];
  const seen = new Map<string, string>();
  (read.list(value, at) ?? []).forEach((item, i) => {
    const entry = join(at, i);
    const raw = read.mapping(item, entry, QUEUE_KEYS);
    if (!raw) return;
    const optional = <T>(key: string, readValue: (v: unknown, p: string) => T | undefined): T | undefined =>
      raw[key] === undefined ? undefined : readValue(raw[key], join(entry, key));
    const pattern = read.string(raw.pattern, join(entry, 'pattern'));
    const written = optional('name', (v, p) => read.string(v, p));
    const nameValid = written === undefined || NAME.test(written);
    if (!nameValid) read.problem(join(entry, 'name'), `${JSON.stringify(written)} cannot be part of a check id: use letters, digits, _, /, - and dots between words`);
    const name = written ?? (pattern === undefined ? undefined : defaultQueueCheckName(pattern));
    const earlier = name === undefined ? undefined : seen.get(name);
    if (earlier) read.problem(join(entry, written === undefined ? 'pattern' : 'name'), `its check would be pulse.queue.${name}, as ${earlier}'s is: give one of them a different name`);
    else if (name !== undefined) seen.set(name, entry);
    const vhost = optional('vhost', (v, p) => read.string(v, p));
    const minConsumers = optional('minConsumers', (v, p) => read.integer(v, p, 0)) ?? DEFAULT_MIN_CONSUMERS;
    const maxMessages = optional('maxMessages', (v, p) => read.integer(v, p, 0));
    const maxMessagesAge = optional('maxMessagesAge', (v, p) => read.duration(v, p));
    const maxGrowth = optional('maxGrowth', (v, p) => read.duration(v, p));
    // An entry without a usable check id is reported here only, not again by the catalogue.
    if (pattern === undefined || name === undefined || !nameValid || earlier) return;
    const queue: PulseQueueConfig = { name, pattern, minConsumers };
    if (vhost !== undefined) queue.vhost = vhost;
    if (maxMessages !== undefined) queue.maxMessages = maxMessages;
    if (maxMessagesAge !== undefined) queue.maxMessagesAge = maxMessagesAge;
    if (maxGrowth !== undefined) queue.maxGrowth = maxGrowth;
    queues.push(queue);
  });
  return queues;
}
