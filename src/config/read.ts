// Finds and reads the config file: YAML, then its keys and types (./parse.ts), with no catalogue. Commands that
// only need the settings (`history`) stop here and start fast; the others go on to ./load.ts.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, Diagnostics } from './diagnostics.js';
import { parseConfig, type ParsedConfig } from './parse.js';

export const DEFAULT_CONFIG_FILE = 'tc-canary.yml';

/** --config, else TC_CANARY_CONFIG, else ./tc-canary.yml when it exists, else none (all defaults). */
export function configFilePath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  const named = explicit ?? env.TC_CANARY_CONFIG;
  if (named) return path.resolve(cwd, named);
  const fallback = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

async function readYaml(file: string, diagnostics: Diagnostics): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  // Loaded only when there is a file to read: a run without one does not pay for the YAML parser.
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text, { uniqueKeys: true });
  for (const problem of document.errors) {
    const position = problem.linePos?.[0];
    diagnostics.add(position ? `line ${position.line}, column ${position.col}` : '', problem.message.split('\n')[0]!);
  }
  return document.errors.length > 0 ? null : document.toJS();
}

/** The config as written, with the problems of its keys and types; YAML syntax errors are thrown at once. */
export async function readConfig(file: string | undefined): Promise<ParsedConfig & { source: string }> {
  const source = file ?? 'default configuration';
  const yamlProblems = new Diagnostics();
  const document = file ? await readYaml(file, yamlProblems) : null;
  if (!yamlProblems.empty) throw new ConfigError(source, yamlProblems.list);
  return { ...parseConfig(document, file), source };
}
