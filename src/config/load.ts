// Finds, reads and validates the configuration together with the catalogue it configures, so a person
// sees every problem (YAML, keys, types, check ids, params, patterns) in one report.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { loadCatalogue, type Catalogue } from '../catalogue/load.js';
import { unmatchedPatterns } from '../catalogue/select.js';
import { alertPatterns } from './alerts.js';
import { resolveCheckParams, type ParamsById } from './check-params.js';
import { maintenancePatterns } from './maintenance.js';
import { ConfigError, Diagnostics } from './diagnostics.js';
import { parseConfig } from './parse.js';
import type { Config } from './types.js';

export const DEFAULT_CONFIG_FILE = 'tc-canary.yml';

/** --config, else TC_CANARY_CONFIG, else ./tc-canary.yml when it exists, else none (all defaults). */
export function configFilePath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  const named = explicit ?? env.TC_CANARY_CONFIG;
  if (named) return path.resolve(cwd, named);
  const fallback = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

export interface LoadedConfig {
  config: Config;
  catalogue: Catalogue;
  params: ParamsById;
}

async function readYaml(file: string, diagnostics: Diagnostics): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const document = parseDocument(text, { uniqueKeys: true });
  for (const problem of document.errors) {
    const position = problem.linePos?.[0];
    diagnostics.add(position ? `line ${position.line}, column ${position.col}` : '', problem.message.split('\n')[0]!);
  }
  return document.errors.length > 0 ? null : document.toJS();
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const source = file ?? 'default configuration';
  const yamlProblems = new Diagnostics();
  const document = file ? await readYaml(file, yamlProblems) : null;
  if (!yamlProblems.empty) throw new ConfigError(source, yamlProblems.list);
  const { config, diagnostics } = parseConfig(document, file);
  let catalogue: Catalogue;
  try {
    catalogue = await loadCatalogue({ services: config.services, pools: config.pools }, config.checksDir, source);
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
