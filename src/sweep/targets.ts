// Where the sweep looks, from the same configuration the checks run with: every schedulerId, secretPrefix,
// hookGroupId and indexPrefix any check is configured with, and the queues tc-canary creates tasks on.

import type { LoadedConfig } from '../config/load.js';

export interface SweepTargets {
  taskQueueIds: string[];
  schedulerIds: string[];
  secretPrefixes: string[];
  hookGroupIds: string[];
  indexPrefixes: string[];
}

/** The queues of the built-in task checks; configured pools are added to them. */
const BUILT_IN_QUEUES = ['built-in/succeed', 'built-in/fail'];

export function sweepTargets(loaded: Pick<LoadedConfig, 'config' | 'params'>): SweepTargets {
  const valuesOf = (name: string) => [...new Set([...loaded.params.values()].map((params) => params[name]).filter((value): value is string => typeof value === 'string' && value !== ''))];
  return {
    taskQueueIds: [...new Set([...BUILT_IN_QUEUES, ...loaded.config.pools.map((pool) => pool.taskQueueId)])],
    schedulerIds: valuesOf('schedulerId'),
    secretPrefixes: valuesOf('secretPrefix'),
    hookGroupIds: valuesOf('hookGroupId'),
    indexPrefixes: valuesOf('indexPrefix'),
  };
}
