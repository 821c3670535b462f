// What a crashed run can leave behind, as the sweep finds it: something tc-canary created, how old it is,
// and how to remove it.

import { describeError } from '../check/errors.js';
import { isNotFound } from '../taskcluster/api-errors.js';

export type LeftoverKind = 'task' | 'secret' | 'hook' | 'index entry';

export interface Leftover {
  kind: LeftoverKind;
  /** taskId, secret name, <hookGroupId>/<hookId>, or index namespace. */
  id: string;
  /** Milliseconds since tc-canary created it; undefined when it cannot be told (then it is stale for sure, e.g. an expired secret). */
  ageMs: number | undefined;
  /** A few words for the report: "pending on built-in/succeed", "expired". */
  detail: string;
  action: 'cancel' | 'remove';
  remove(): Promise<unknown>;
}

/** One place a finder could not look (e.g. listing refused): the sweep is then incomplete. */
export interface FinderProblem {
  where: string;
  message: string;
  /** The deployment does not offer this listing at all (404): nothing to find, not a failure. */
  unsupported?: boolean;
}

/** A listing that failed, in the words of the error (a 404 means the deployment lacks that listing). */
export function problemAt(where: string, error: unknown): FinderProblem {
  return isNotFound(error)
    ? { where, message: 'not offered by this deployment', unsupported: true }
    : { where, message: describeError(error, (text) => text).message };
}

export interface Findings {
  leftovers: Leftover[];
  problems: FinderProblem[];
}
