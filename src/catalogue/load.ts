// The check catalogue: every file in checks/ (and in the configured checksDir), each exporting a check, a list
// of checks or a family built from the configuration. Ids must be unique, dependencies known and acyclic.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyCheck, CheckModuleExport } from '../check/define.js';
import { Diagnostics, ConfigError } from '../config/diagnostics.js';
import type { CatalogueEnv } from './env.js';

export interface Catalogue {
  checks: AnyCheck[];
  byId: Map<string, AnyCheck>;
}

const CHECK_ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_/-]+)+$/;
/** The built-in checks/ folder, beside src/ both in the sources and in dist/. */
const BUILTIN_DIR = fileURLToPath(new URL('../../checks/', import.meta.url));

function isCheckFile(name: string): boolean {
  return /\.(m?js|ts)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.map');
}

async function checkFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter(isCheckFile).sort();
  return names.map((name) => path.join(dir, name));
}

function exportsOf(module: Record<string, unknown>): CheckModuleExport[] {
  return Object.values(module).filter((value): value is CheckModuleExport =>
    typeof value === 'function' || Array.isArray(value) || (typeof value === 'object' && value !== null && 'run' in value));
}

function expand(exported: CheckModuleExport, env: CatalogueEnv): AnyCheck[] {
  if (typeof exported === 'function') return exported(env);
  return Array.isArray(exported) ? exported : [exported];
}

export async function loadCatalogue(env: CatalogueEnv, checksDir?: string, source = 'checks'): Promise<Catalogue> {
  const diagnostics = new Diagnostics();
  const checks: AnyCheck[] = [];
  const origin = new Map<string, string>();
  const dirs = checksDir ? [BUILTIN_DIR, checksDir] : [BUILTIN_DIR];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = await checkFiles(dir);
    } catch (error) {
      diagnostics.add('checksDir', `cannot read ${dir}: ${(error as Error).message}`);
      continue;
    }
    for (const file of files) {
      let module: Record<string, unknown>;
      try {
        module = await import(pathToFileURL(file).href);
      } catch (error) {
        diagnostics.add('checksDir', `${file} cannot be loaded: ${(error as Error).message}`);
        continue;
      }
      for (const check of exportsOf(module).flatMap((exported) => expand(exported, env))) {
        if (!CHECK_ID.test(check.id)) diagnostics.add(file, `check id ${JSON.stringify(check.id)} must be dotted (e.g. team.my-check)`);
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
