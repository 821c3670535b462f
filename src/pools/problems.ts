// Pool checks compare several measurements with their limits and report every one exceeded, in words that name
// the pool, the value and the limit, rather than stopping at the first.

import { SlaExceeded } from '../check/errors.js';

/** Throws one SLA failure naming every problem found, if any. */
export function failOnProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new SlaExceeded(problems.join('; '));
}
