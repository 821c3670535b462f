// checks.params.<check id>.<param>: each value checked against the parameter the check declares, with the
// check's defaults filling the rest. Unknown check ids and unknown params are errors, not silent no-ops.
// A `${VAR}` in a value is read from the environment here, where the params are resolved for the commands that
// use them; params are names and limits shown in reports, so their values are not treated as secrets.

import type { AnyCheck } from '../check/define.js';
import { defaultParams, type ParamSpec, type ParamSpecs } from '../check/params.js';
import type { Catalogue } from '../catalogue/load.js';
import { closest, type Diagnostics } from './diagnostics.js';
import { isWholeReference, placeholderProblem, substituteVariables, unsetVariables } from './placeholders.js';
import { join } from './reader.js';
import { loadOnUse } from '../load-on-use.js';

export type ParamsById = Map<string, Record<string, unknown>>;

export function resolveCheckParams(catalogue: Catalogue, configured: Record<string, Record<string, unknown>>, diagnostics: Diagnostics, env: NodeJS.ProcessEnv): ParamsById {
  const ids = catalogue.checks.map((check) => check.id);
  for (const id of Object.keys(configured)) {
    if (!catalogue.byId.has(id)) {
      const suggestion = closest(id, ids);
      diagnostics.add(join('checks.params', id), `unknown check id${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
  }
  return new Map(catalogue.checks.map((check) => [check.id, paramsOf(check, configured[check.id] ?? {}, diagnostics, env)]));
}

/**
 * The value with its `${VAR}` references read from the environment, or undefined (said in diagnostics) when one
 * is not set. For a number or boolean param, a value that is one whole reference is read as a YAML scalar, so
 * `${MAX}` can give a number; any other param keeps the variable's text as it is.
 */
function fromEnvironment(value: unknown, spec: ParamSpec<unknown>, env: NodeJS.ProcessEnv, at: string, diagnostics: Diagnostics): unknown {
  if (typeof value !== 'string' || !value.includes('${')) return value;
  const malformed = placeholderProblem(value);
  if (malformed) {
    diagnostics.add(at, malformed);
    return undefined;
  }
  const unset = unsetVariables(value, env);
  for (const name of unset) diagnostics.add(at, `environment variable ${name} is not set`);
  if (unset.length > 0) return undefined;
  const substituted = substituteVariables(value, env);
  return isWholeReference(value) && SCALAR_TYPES.has(spec.type) ? parseYamlScalar(substituted) : substituted;
}

const SCALAR_TYPES = new Set(['number', 'boolean']);
/** Most configs have no such reference, and a run without a config file never loads the YAML parser (./read.ts). */
const yaml = loadOnUse<typeof import('yaml')>('yaml');

function parseYamlScalar(text: string): unknown {
  try {
    const parsed: unknown = yaml().parse(text);
    return parsed !== null && typeof parsed === 'object' ? text : parsed;
  } catch {
    return text;
  }
}

function paramsOf(check: AnyCheck, raw: Record<string, unknown>, diagnostics: Diagnostics, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const specs: ParamSpecs = check.params ?? {};
  const values: Record<string, unknown> = { ...defaultParams(specs) };
  const names = Object.keys(specs);
  for (const [name, written] of Object.entries(raw)) {
    const at = join(join('checks.params', check.id), name);
    const spec = specs[name];
    if (!spec) {
      const suggestion = closest(name, names);
      diagnostics.add(at, `unknown parameter${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${check.id} takes ${names.length ? names.join(', ') : 'no parameters'}`);
      continue;
    }
    if (spec.configuredAt) {
      diagnostics.add(at, `is set in the pool's entry, ${spec.configuredAt}, not in checks.params`);
      continue;
    }
    const value = fromEnvironment(written, spec, env, at, diagnostics);
    if (value === undefined) continue;
    const parsed = spec.parse(value);
    if (parsed.ok) values[name] = parsed.value;
    else diagnostics.add(at, parsed.reason);
  }
  return values;
}
