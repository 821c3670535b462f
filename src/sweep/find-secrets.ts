// Probe secrets under the configured prefix. Secrets carry no creation date, so the sweep reads each one:
// tc-canary's values say when they were made; a secret that answers 410 has expired and is stale anyway.

import type { SecretsClient } from 'taskcluster-client';
import { isNotFound, statusCodeOf } from '../taskcluster/api-errors.js';
import { probeMarkCreatedAt } from '../taskcluster/probe-mark.js';
import { allPages } from '../taskcluster/paginate.js';
import { problemAt, type Findings } from './leftover.js';

export async function findLeftoverSecrets(secrets: SecretsClient, prefix: string, nowMs: number): Promise<Findings> {
  const findings: Findings = { leftovers: [], problems: [] };
  let names: string[];
  try {
    const pages = await allPages<{ secrets: string[]; continuationToken?: string }>((query) => secrets.list(query));
    names = pages.flatMap((page) => page.secrets).filter((name) => name.startsWith(`${prefix}/`));
  } catch (error) {
    findings.problems.push(problemAt('secrets.list', error));
    return findings;
  }
  for (const name of names) {
    const remove = () => secrets.remove(name);
    let value: unknown;
    try {
      ({ secret: value } = (await secrets.get(name)) as { secret: unknown });
    } catch (error) {
      if (isNotFound(error)) continue; // removed meanwhile
      if (statusCodeOf(error) === 410) {
        findings.leftovers.push({ kind: 'secret', id: name, ageMs: undefined, detail: 'expired', action: 'remove', remove });
      } else {
        findings.problems.push(problemAt(`secrets.get ${name}`, error));
      }
      continue;
    }
    const createdAt = probeMarkCreatedAt(value);
    // Under the prefix but not written by tc-canary: someone else's, left alone.
    if (createdAt === undefined) continue;
    findings.leftovers.push({ kind: 'secret', id: name, ageMs: nowMs - createdAt, detail: 'probe secret', action: 'remove', remove });
  }
  return findings;
}
