// What every command does first: read the config with its catalogue, decide the deployment and the
// credentials, and register every secret with the redactor before anything can be printed.

import type { Credentials } from 'taskcluster-client';
import { ConfigError } from '../config/diagnostics.js';
import { selectChecks, type Selection } from '../catalogue/select.js';
import { withCatalogue, type LoadedConfig } from '../config/load.js';
import type { ParsedConfig } from '../config/parse.js';
import { configFilePath, readConfig } from '../config/read.js';
import { resolvePlaceholders } from '../config/placeholders.js';
import type { Redactor } from '../redact.js';
import { credentialsFromEnv } from '../taskcluster/clients.js';
import { redactorFromEnv } from './env-redactor.js';

export const DEFAULT_ROOT_URL = 'https://community-tc.services.mozilla.com';

export interface CommandSetup extends LoadedConfig {
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
}

export interface Deployment {
  rootUrl: string;
  /** Where the root URL came from, said in one line when it is the built-in default. */
  rootUrlSource: '--root-url' | 'config' | 'TASKCLUSTER_ROOT_URL' | 'default';
  credentials: Credentials | undefined;
}

/** The config as read, before its catalogue is loaded (see completeSetup). */
export interface ReadSetup extends ParsedConfig {
  source: string;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
}

export async function setupCommand(configOption: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<CommandSetup> {
  return completeSetup(await readSetup(configOption, env));
}

/** The first half of setupCommand: the config file read, its keys and types checked, no catalogue yet. */
export async function readSetup(configOption: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ReadSetup> {
  const redactor = redactorFromEnv(env);
  return { ...(await readConfig(configFilePath(configOption, env))), redactor, env };
}

export async function completeSetup(read: ReadSetup): Promise<CommandSetup> {
  return { ...(await withCatalogue(read, read.env)), redactor: read.redactor, env: read.env };
}

export function resolveDeployment(setup: Pick<CommandSetup, 'config' | 'env' | 'redactor'>, rootUrlOption: string | undefined): Deployment {
  const { config, env, redactor } = setup;
  const credentials = credentialsFromEnv(env);
  const trim = (url: string) => url.replace(/\/+$/, '');
  // `--root-url ""` (an unset variable in a CI script) is a mistake to report, not a reason to go elsewhere.
  if (rootUrlOption !== undefined) return { rootUrl: trim(checkedUrl(rootUrlOption, '--root-url')), rootUrlSource: '--root-url', credentials };
  if (config.rootUrl) {
    const source = config.file ?? 'config';
    const rootUrl = resolvePlaceholders(config.rootUrl, env, { path: 'rootUrl', source, redactor, secret: false });
    return { rootUrl: trim(checkedUrl(rootUrl, 'rootUrl', source)), rootUrlSource: 'config', credentials };
  }
  if (env.TASKCLUSTER_ROOT_URL) return { rootUrl: trim(checkedUrl(env.TASKCLUSTER_ROOT_URL, 'TASKCLUSTER_ROOT_URL')), rootUrlSource: 'TASKCLUSTER_ROOT_URL', credentials };
  return { rootUrl: DEFAULT_ROOT_URL, rootUrlSource: 'default', credentials };
}

function checkedUrl(url: string, path: string, source = 'arguments'): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new ConfigError(source, [{ path, message: `expected an http(s) URL, got ${JSON.stringify(url)}` }]);
}

/** The checks a command works on: --check patterns, else the config's include, less its exclude. */
export function selectForCommand(setup: CommandSetup, cliPatterns: readonly string[] = []): Selection {
  return selectChecks(setup.catalogue, { cliPatterns, include: setup.config.checks.include, exclude: setup.config.checks.exclude });
}
