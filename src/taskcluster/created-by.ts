// The mark tc-canary leaves on everything it creates (task tags, secret values, hook templates), so a sweep
// removes only its own leftovers.

export const CREATED_BY = 'tc-canary';

/** Tags naming the creator, the check and the run. */
export function createdByTags(origin: { checkId: string; runId: string }): Record<string, string> {
  return { createdBy: CREATED_BY, 'tc-canary-check': origin.checkId, 'tc-canary-run': origin.runId };
}
