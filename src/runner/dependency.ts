// The one rule for dependencies, in a run and in `serve`: a check runs only after its dependency passed (or
// was flaky); a dependency that failed, errored or was skipped proves nothing the check could build on.

import { isPassing, type CheckResult } from '../check/result.js';

/** Why a check must be skipped because of this dependency's result, or undefined. */
export function dependencySkipReason(dependency: string, result: Pick<CheckResult, 'outcome'>, when = ''): string | undefined {
  if (result.outcome === 'skipped') return `dependency ${dependency} was skipped${when}`;
  if (!isPassing(result.outcome)) return `dependency ${dependency} did not pass (${result.outcome}${when})`;
  return undefined;
}
