// Which checks a run contains: --check patterns, else checks.include, else all; checks.exclude removes
// (and reports as skipped) what --check did not name explicitly; dependencies come along.

import type { AnyCheck } from '../check/define.js';
import type { Diagnostic } from '../config/diagnostics.js';
import type { Catalogue } from './load.js';
import { matchesAny } from './pattern.js';

export interface Selection {
  /** In catalogue order, dependencies included. */
  checks: AnyCheck[];
  /** Checks the config excludes, reported as skipped with this reason. */
  excluded: Map<string, string>;
  /** Checks named by their id in --check (else checks.include), not matched by a pattern: wanted for sure. */
  named: Set<string>;
  problems: Diagnostic[];
}

export interface SelectionRequest {
  cliPatterns: readonly string[];
  include: readonly string[];
  exclude: readonly string[];
}

/** A pattern that matches nothing is a typo, not a quiet no-op. */
export function unmatchedPatterns(catalogue: Catalogue, patterns: readonly string[], where: string): Diagnostic[] {
  return patterns
    .filter((pattern) => !catalogue.checks.some((check) => matchesAny(check.id, [pattern])))
    .map((pattern) => ({ path: where, message: `${JSON.stringify(pattern)} matches no check (see tc-canary list)` }));
}

/** Selection for a run; the config's own patterns were already checked by loadConfig. */
export function selectChecks(catalogue: Catalogue, request: SelectionRequest): Selection {
  const problems = unmatchedPatterns(catalogue, request.cliPatterns, '--check');

  const base = request.cliPatterns.length > 0 ? request.cliPatterns : request.include;
  const chosen = new Set(catalogue.checks.filter((check) => base.length === 0 || matchesAny(check.id, base)).map((check) => check.id));
  const excluded = new Map<string, string>();
  for (const id of chosen) {
    const explicitlyNamed = request.cliPatterns.includes(id);
    const pattern = matchesAny(id, request.exclude);
    if (pattern !== undefined && !explicitlyNamed) excluded.set(id, `excluded by checks.exclude (${pattern})`);
  }
  const withDependencies = (id: string) => {
    for (const dependency of catalogue.byId.get(id)?.dependsOn ?? []) {
      if (!chosen.has(dependency)) {
        chosen.add(dependency);
        const pattern = matchesAny(dependency, request.exclude);
        if (pattern !== undefined) excluded.set(dependency, `excluded by checks.exclude (${pattern})`);
        withDependencies(dependency);
      }
    }
  };
  [...chosen].forEach(withDependencies);
  const named = new Set(base.filter((pattern) => catalogue.byId.has(pattern)));
  return { checks: catalogue.checks.filter((check) => chosen.has(check.id)), excluded, named, problems };
}
