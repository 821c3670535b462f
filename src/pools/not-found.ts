// Several worker-manager and queue calls only exist on newer deployments, and a pool may not be managed by
// worker-manager at all: both answer 404, which the pool checks treat as "not here", not as a failure.

/** The call's answer, or undefined when the deployment answered 404. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if ((error as { statusCode?: unknown } | null)?.statusCode === 404) return undefined;
    throw error;
  }
}
