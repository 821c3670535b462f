// The smallest task each worker implementation runs: print one line and exit 0. A pool's `payload` replaces it
// (e.g. a Windows generic-worker, whose commands are lines of a .bat file rather than argument lists).

import type { PoolConfig, WorkerImplementation } from '../config/types.js';

const MAX_RUN_TIME_S = 60;
const GREETING = 'echo tc-canary';

/** A docker-worker payload; generic-worker with d2g translates the same payload into its own. */
const dockerPayload = () => ({ image: 'busybox:stable', command: ['/bin/sh', '-c', GREETING], maxRunTime: MAX_RUN_TIME_S });

const MINIMAL_PAYLOADS: Record<Exclude<WorkerImplementation, 'none'>, () => Record<string, unknown>> = {
  // generic-worker on Linux and macOS: a list of commands, each an argument list.
  'generic-worker': () => ({ command: [['/bin/bash', '-c', GREETING]], maxRunTime: MAX_RUN_TIME_S }),
  'docker-worker': dockerPayload,
  d2g: dockerPayload,
};

/** The payload of the pool's claim probe, or undefined when the pool runs no probe task (implementation none). */
export function probePayload(pool: Pick<PoolConfig, 'implementation' | 'payload'>): Record<string, unknown> | undefined {
  if (pool.implementation === 'none') return undefined;
  return pool.payload ?? MINIMAL_PAYLOADS[pool.implementation]();
}
