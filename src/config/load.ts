// Reads and validates the configuration together with the catalogue it configures, so a person sees every
// problem (YAML, keys, types, check ids, params, patterns) in one report.

import { loadCatalogue, type Catalogue } from '../catalogue/load.js';
import { unmatchedPatterns } from '../catalogue/select.js';
import { alertPatterns } from './alerts.js';
import { resolveCheckParams, type ParamsById } from './check-params.js';
import { maintenancePatterns } from './maintenance.js';
import { ConfigError } from './diagnostics.js';
import type { ParsedConfig } from './parse.js';
import { readConfig } from './read.js';
import type { Config } from './types.js';

export interface LoadedConfig {
  config: Config;
  catalogue: Catalogue;
  params: ParamsById;
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  return withCatalogue(await readConfig(file), env);
}

/** The config as read (./read.ts), checked with the catalogue it configures: every problem of both at once. */
export async function withCatalogue({ config, diagnostics, source }: ParsedConfig & { source: string }, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let catalogue: Catalogue;
  try {
    catalogue = await loadCatalogue({ services: config.services, pools: config.pools, pulseQueues: config.pulse?.queues ?? [] }, config.checksDir, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(source, [...diagnostics.list, ...error.diagnostics]);
  }
  const params = resolveCheckParams(catalogue, config.checks.params, diagnostics, env);
  const patterns = [
    ...config.checks.include.map((pattern) => ({ pattern, path: 'checks.include' })),
    ...config.checks.exclude.map((pattern) => ({ pattern, path: 'checks.exclude' })),
    ...Object.keys(config.checks.schedules).map((pattern) => ({ pattern, path: 'checks.schedules' })),
    ...alertPatterns(config.alerts),
    ...maintenancePatterns(config.maintenance),
  ];
  for (const { pattern, path: at } of patterns) {
    for (const problem of unmatchedPatterns(catalogue, [pattern], at)) diagnostics.add(problem.path, problem.message);
  }
  if (!diagnostics.empty) throw new ConfigError(source, diagnostics.list);
  return { config, catalogue, params };
}
