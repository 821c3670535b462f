// checks.params.<check id>.<param>: each value checked against the parameter the check declares, with the
// check's defaults filling the rest. Unknown check ids and unknown params are errors, not silent no-ops.

import type { AnyCheck } from '../check/define.js';
import { defaultParams, type ParamSpecs } from '../check/params.js';
import type { Catalogue } from '../catalogue/load.js';
import { closest, type Diagnostics } from './diagnostics.js';
import { join } from './reader.js';

export type ParamsById = Map<string, Record<string, unknown>>;

export function resolveCheckParams(catalogue: Catalogue, configured: Record<string, Record<string, unknown>>, diagnostics: Diagnostics): ParamsById {
  const ids = catalogue.checks.map((check) => check.id);
  for (const id of Object.keys(configured)) {
    if (!catalogue.byId.has(id)) {
      const suggestion = closest(id, ids);
      diagnostics.add(join('checks.params', id), `unknown check id${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
  }
  return new Map(catalogue.checks.map((check) => [check.id, paramsOf(check, configured[check.id] ?? {}, diagnostics)]));
}

function paramsOf(check: AnyCheck, raw: Record<string, unknown>, diagnostics: Diagnostics): Record<string, unknown> {
  const specs: ParamSpecs = check.params ?? {};
  const values: Record<string, unknown> = { ...defaultParams(specs) };
  const names = Object.keys(specs);
  for (const [name, value] of Object.entries(raw)) {
    const at = join(join('checks.params', check.id), name);
    const spec = specs[name];
    if (!spec) {
      const suggestion = closest(name, names);
      diagnostics.add(at, `unknown parameter${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${check.id} takes ${names.length ? names.join(', ') : 'no parameters'}`);
      continue;
    }
    const parsed = spec.parse(value);
    if (parsed.ok) values[name] = parsed.value;
    else diagnostics.add(at, parsed.reason);
  }
  return values;
}
