// Where the sweep looks: what each check of the catalogue declares it creates (`leftovers`), derived from the
// params it is configured with. The sweep knows no queue, prefix or param name of its own, so a checksDir
// check that declares its leftovers is swept like a built-in one.

import type { LoadedConfig } from '../config/load.js';

export interface SweepTargets {
  taskQueueIds: string[];
  schedulerIds: string[];
  secretPrefixes: string[];
  hookGroupIds: string[];
  indexPrefixes: string[];
}

export function sweepTargets(loaded: Pick<LoadedConfig, 'catalogue' | 'params'>): SweepTargets {
  const declared = loaded.catalogue.checks.flatMap((check) => (check.leftovers ? [check.leftovers(loaded.params.get(check.id) ?? {})] : []));
  const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];
  return {
    taskQueueIds: distinct(declared.flatMap((leftovers) => leftovers.tasks?.taskQueueIds ?? [])),
    schedulerIds: distinct(declared.map((leftovers) => leftovers.tasks?.schedulerId)),
    secretPrefixes: distinct(declared.map((leftovers) => leftovers.secrets?.prefix)),
    hookGroupIds: distinct(declared.map((leftovers) => leftovers.hooks?.group)),
    indexPrefixes: distinct(declared.map((leftovers) => leftovers.indexEntries?.prefix)),
  };
}
