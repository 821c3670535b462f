// The marks tc-canary leaves on everything it creates: tags on tasks and hook templates, and in what it stores
// (a secret's value, an index entry's data) who made it and when, so `tc-canary sweep` can tell what a crashed
// run left behind (and how old it is) from anything else under the same prefix.

export const CREATED_BY = 'tc-canary';

/** Tags naming the creator, the check and the run. */
export function createdByTags(origin: { checkId: string; runId: string }): Record<string, string> {
  return { createdBy: CREATED_BY, 'tc-canary-check': origin.checkId, 'tc-canary-run': origin.runId };
}

export interface ProbeMark {
  createdBy: typeof CREATED_BY;
  createdAt: string;
  check: string;
  runId: string;
  nonce: string;
}

export function probeMark(nowMs: number, origin: { check: string; runId: string; nonce: string }): ProbeMark {
  return { createdBy: CREATED_BY, createdAt: new Date(nowMs).toISOString(), ...origin };
}

/** When tc-canary made this marked value, or undefined when it is not one of tc-canary's. */
export function probeMarkCreatedAt(value: unknown): number | undefined {
  const candidate = value as Partial<ProbeMark> | null;
  if (candidate?.createdBy !== CREATED_BY || typeof candidate.createdAt !== 'string') return undefined;
  const ms = Date.parse(candidate.createdAt);
  return Number.isNaN(ms) ? undefined : ms;
}
