// What the configuration tells the catalogue about the deployment: which families of checks exist.

import type { PoolConfig } from '../config/types.js';

export interface CatalogueEnv {
  /** Taskcluster services to probe (ping.<service>). */
  services: readonly string[];
  /** Worker pools to watch (pool.<taskQueueId>.*). */
  pools: readonly PoolConfig[];
}
