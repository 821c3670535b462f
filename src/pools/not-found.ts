// Several worker-manager and queue calls only exist on newer deployments, and a pool may not be managed by
// worker-manager at all: both answer 404, which the pool checks treat as "not here", not as a failure.

import { isNotFound } from '../taskcluster/api-errors.js';

/** The call's answer, or undefined when the deployment answered 404. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
