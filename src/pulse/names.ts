// Names on Pulse. Pulse only lets a user create queues and exchanges under its own namespace, so every name
// tc-canary makes is built here from the namespace.

/** Taskcluster's exchanges that the Pulse checks listen to. */
export const TASKCLUSTER_EXCHANGES = {
  taskDefined: 'exchange/taskcluster-queue/v1/task-defined',
  taskPending: 'exchange/taskcluster-queue/v1/task-pending',
  taskRunning: 'exchange/taskcluster-queue/v1/task-running',
  taskCompleted: 'exchange/taskcluster-queue/v1/task-completed',
  taskFailed: 'exchange/taskcluster-queue/v1/task-failed',
  taskException: 'exchange/taskcluster-queue/v1/task-exception',
  notification: 'exchange/taskcluster-notify/v1/notification',
} as const;

/** `queue/<namespace>/tc-canary/<check>/<nonce>`: one queue per check attempt, never server-named. */
export function canaryQueueName(namespace: string, checkId: string, nonce: string): string {
  return `queue/${namespace}/tc-canary/${checkId}/${nonce}`;
}

/**
 * `<namespace>.tc-canary.<nonce>`: a task route or notify routing key unique to one check attempt. Taskcluster
 * delivers it as the CC routing key `route.<that>`, which is what the check's queue binds to.
 */
export function canaryRoute(namespace: string, nonce: string): string {
  return `${namespace}.tc-canary.${nonce}`;
}

/** `exchange/<namespace>/tc-canary/<name>`: an exchange tc-canary may declare and publish to, e.g. to fire a hook. */
export function canaryExchange(namespace: string, name: string): string {
  return `exchange/${namespace}/tc-canary/${name}`;
}

/** The exchange `pulse.publishResults` publishes check results to. */
export function checkResultExchange(namespace: string): string {
  return `exchange/${namespace}/tc-canary/v1/check-result`;
}

/** The permissions Pulse grants a user, quoted in every refusal so an operator can compare them with theirs. */
export function expectedPermissions(user: string): { configureWrite: string; read: string } {
  return {
    configureWrite: `^(queue/${user}/.*|exchange/${user}/.*)`,
    read: `^(queue/${user}/.*|exchange/.*)`,
  };
}
