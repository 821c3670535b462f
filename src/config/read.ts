// Finds and reads the config file: YAML, then its keys and types (./parse.ts), with no catalogue. Commands that
// only need the settings (`history`) stop here and start fast; the others go on to ./load.ts.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
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

/** Configs are a few kilobytes; a bigger file is a mistake (or an attack), refused before it is parsed. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The config nests six levels at most; far deeper is no config and would exhaust the parser's stack. */
const MAX_NESTING = 64;
/** YAML aliases (*name) expanded at most this often: more is an alias bomb (a few lines, gigabytes of data). */
const MAX_ALIAS_EXPANSIONS = 100;

async function readYaml(file: string, diagnostics: Diagnostics): Promise<unknown> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) throw new ConfigError(file, [{ path: '', message: `the config file is ${(size / 1024 / 1024).toFixed(1)} MB; tc-canary reads config files of at most 1 MB` }]);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(file, [{ path: '', message: `cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  // Loaded only when there is a file to read: a run without one does not pay for the YAML parser.
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text, { uniqueKeys: true });
  const codes = new Set<string>();
  for (const problem of document.errors) {
    // The parser's words for these name its own API or its call stack; ours say what to change in the file.
    if (problem.code === 'MULTIPLE_DOCS' || problem.code === 'RESOURCE_EXHAUSTION') {
      if (!codes.has(problem.code)) diagnostics.add('', problem.code === 'MULTIPLE_DOCS' ? 'holds more than one YAML document (a --- line starts another): a config file is one document' : `nests deeper than tc-canary reads (at most ${MAX_NESTING} levels)`);
      codes.add(problem.code);
      continue;
    }
    const position = problem.linePos?.[0];
    diagnostics.add(position ? `line ${position.line}, column ${position.col}` : '', problem.message.split('\n')[0]!);
  }
  if (document.errors.length > 0) return null;
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch {
    // The yaml package's only failure here: "Excessive alias count indicates a resource exhaustion attack".
    diagnostics.add('', `expands YAML aliases (*name) more than ${MAX_ALIAS_EXPANSIONS} times: write the values out instead`);
    return null;
  }
  if (nestingDepth(value, MAX_NESTING + 1) > MAX_NESTING) {
    diagnostics.add('', `nests deeper than tc-canary reads (at most ${MAX_NESTING} levels)`);
    return null;
  }
  return value;
}

/** How deeply lists and mappings nest in a value, counting no further than `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  if (limit === 0 || value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const item of Object.values(value)) deepest = Math.max(deepest, nestingDepth(item, limit - 1));
  return 1 + deepest;
}

/** The config as written, with the problems of its keys and types; YAML syntax errors are thrown at once. */
export async function readConfig(file: string | undefined): Promise<ParsedConfig & { source: string }> {
  const source = file ?? 'default configuration';
  const yamlProblems = new Diagnostics();
  const document = file ? await readYaml(file, yamlProblems) : null;
  if (!yamlProblems.empty) throw new ConfigError(source, yamlProblems.list);
  return { ...parseConfig(document, file), source };
}
