// What the configuration tells the catalogue about the deployment: which families of checks exist.

import type { PoolConfig, PulseQueueConfig } from '../config/types.js';

export interface CatalogueEnv {
  /** Taskcluster services to probe (ping.<service>). */
  services: readonly string[];
  /** Worker pools to watch (pool.<taskQueueId>.*). */
  pools: readonly PoolConfig[];
  /** Pulse queues to watch through the broker's management API (pulse.queue.<name>); absent: none. */
  pulseQueues?: readonly PulseQueueConfig[];
}
