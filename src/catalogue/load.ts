// The check catalogue: every file in checks/ (and in the configured checksDir), each exporting checks, lists
// of checks or families (defineCheckFamily) built from the configuration; other exported functions are
// helpers and are passed over. Every definition is validated here, each problem naming its file and export;
// ids must be unique, dependencies known and acyclic.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCheckFamily, type AnyCheck } from '../check/define.js';
import { Diagnostics, ConfigError } from '../config/diagnostics.js';
import type { CatalogueEnv } from './env.js';
import { resolveToolkitImports } from './toolkit-import.js';
import { definitionProblems, looksLikeCheck } from './validate.js';

export interface Catalogue {
  checks: AnyCheck[];
  byId: Map<string, AnyCheck>;
}

/** The built-in checks/ folder, beside src/ both in the sources and in dist/. */
const BUILTIN_DIR = fileURLToPath(new URL('../../checks/', import.meta.url));

function isCheckFile(name: string): boolean {
  return /\.(m?js|ts)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.map');
}

async function checkFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter(isCheckFile).sort();
  return names.map((name) => path.join(dir, name));
}

/**
 * The valid checks one export holds, with every problem of the others said at `file (export name)`. A family
 * is called with the configuration; a plain function is a helper; anything else is not a check file's to export.
 */
function checksOf(name: string, value: unknown, file: string, env: CatalogueEnv, diagnostics: Diagnostics): AnyCheck[] {
  const at = `${file} (export ${name})`;
  if (typeof value === 'function' && !isCheckFamily(value)) return [];
  let candidates: unknown[];
  if (isCheckFamily(value)) {
    try {
      candidates = value(env);
    } catch (error) {
      diagnostics.add(at, `the check family threw ${(error as Error).message}`);
      return [];
    }
    if (!Array.isArray(candidates)) {
      diagnostics.add(at, 'the check family must return a list of checks');
      return [];
    }
  } else if (Array.isArray(value)) {
    candidates = value;
  } else if (looksLikeCheck(value)) {
    candidates = [value];
  } else {
    diagnostics.add(at, 'is neither a check (defineCheck), a list of checks nor a family (defineCheckFamily)');
    return [];
  }
  return candidates.filter((candidate, index): candidate is AnyCheck => {
    const where = candidates.length === 1 && !Array.isArray(value) && !isCheckFamily(value) ? at : `${at}[${index}]`;
    if (!looksLikeCheck(candidate)) {
      diagnostics.add(where, 'is not a check (defineCheck)');
      return false;
    }
    const problems = definitionProblems(candidate);
    const named = typeof candidate.id === 'string' ? `${where} ${candidate.id}` : where;
    for (const problem of problems) diagnostics.add(named, problem);
    return problems.length === 0;
  });
}

export async function loadCatalogue(env: CatalogueEnv, checksDir?: string, source = 'checks'): Promise<Catalogue> {
  const diagnostics = new Diagnostics();
  const checks: AnyCheck[] = [];
  const origin = new Map<string, string>();
  const dirs = checksDir ? [BUILTIN_DIR, checksDir] : [BUILTIN_DIR];
  if (checksDir) resolveToolkitImports();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = await checkFiles(dir);
    } catch (error) {
      diagnostics.add('checksDir', `cannot read ${dir}: ${(error as Error).message}`);
      continue;
    }
    for (const file of files) {
      // Loading is work on the one thread: between files, the requests already sent (the preflight's) get
      // their turn, so their connection and answer progress while the catalogue loads instead of after it.
      await new Promise((resolve) => setImmediate(resolve));
      let module: Record<string, unknown>;
      try {
        module = await import(pathToFileURL(file).href);
      } catch (error) {
        diagnostics.add('checksDir', `${file} cannot be loaded: ${(error as Error).message}`);
        continue;
      }
      for (const check of Object.entries(module).flatMap(([name, value]) => checksOf(name, value, file, env, diagnostics))) {
        const earlier = origin.get(check.id);
        if (earlier) diagnostics.add(file, `check id ${check.id} is already defined in ${earlier}`);
        origin.set(check.id, file);
        checks.push(check);
      }
    }
  }
  const byId = new Map(checks.map((check) => [check.id, check]));
  for (const check of checks) {
    for (const dependency of check.dependsOn ?? []) {
      if (!byId.has(dependency)) diagnostics.add(origin.get(check.id)!, `${check.id} depends on unknown check ${dependency}`);
    }
  }
  const cycle = findCycle(checks, byId);
  if (cycle) diagnostics.add(origin.get(cycle[0]!)!, `dependency cycle: ${cycle.join(' -> ')}`);
  if (!diagnostics.empty) throw new ConfigError(source, diagnostics.list);
  return { checks, byId };
}

function findCycle(checks: AnyCheck[], byId: Map<string, AnyCheck>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      const cycle = visit(dependency, [...trail, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const check of checks) {
    const cycle = visit(check.id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
