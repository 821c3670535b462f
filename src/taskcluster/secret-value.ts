// The value of a probe secret: it says who made it and when, so `tc-canary sweep` can tell a secret that a
// crashed run left behind (and how old it is) from anything else stored under the prefix.

import { CREATED_BY } from './created-by.js';

export interface ProbeSecretValue {
  createdBy: typeof CREATED_BY;
  createdAt: string;
  check: string;
  runId: string;
  nonce: string;
}

export function probeSecretValue(nowMs: number, origin: { check: string; runId: string; nonce: string }): ProbeSecretValue {
  return { createdBy: CREATED_BY, createdAt: new Date(nowMs).toISOString(), ...origin };
}

/** When tc-canary created this secret value, or undefined when it is not one of tc-canary's. */
export function probeSecretCreatedAt(value: unknown): number | undefined {
  const candidate = value as Partial<ProbeSecretValue> | null;
  if (candidate?.createdBy !== CREATED_BY || typeof candidate.createdAt !== 'string') return undefined;
  const ms = Date.parse(candidate.createdAt);
  return Number.isNaN(ms) ? undefined : ms;
}
