// The check toolkit: everything a check file needs, and all that a built-in check imports
// (`import { defineCheck, createProbeTask, waitForResolution } from 'tc-canary/check'`). docs/writing-checks.md
// shows each piece with an example. A check only describes its steps; the runner owns timeouts, retries,
// cleanup, recording and reporting.

// Definitions and the context a check runs with.
export { defineCheck, defineCheckFamily } from './define.js';
export type { CheckDefinition, CheckFamily, DashboardHints, Leftovers, Requirement, RetryPolicy, Watches } from './define.js';
export type { CheckContext, EarlierResult, MetricOptions } from './context.js';
export type { CatalogueEnv } from '../catalogue/env.js';
export type { PoolConfig, PulseQueueConfig } from '../config/types.js';
export { fromPoolEntry, param } from './params.js';
export type { ParamSpec, ParamValues } from './params.js';
export { AssertionFailure, failOnProblems, SlaExceeded, TransientError } from './errors.js';
export { TIMEOUT_DURATION, formatDuration, formatElapsed, parseDuration } from './duration.js';

// Probe tasks: created with tc-canary's hygiene, tracked for cleanup and sweep before the request is sent.
export { cancelTaskIfUnresolved, createProbeTask, trackTask } from '../taskcluster/task.js';
export type { ProbeTask, ProbeTaskOptions } from '../taskcluster/task.js';
export {
  cancelTaskScopes, claimSlaParam, createTaskScopes, pollIntervalParam, probeTaskLeftovers, taskHygiene, taskHygieneParams, TASK_STATUS_SCOPE,
} from '../taskcluster/task-params.js';
export { describeResolution, runTimings } from '../taskcluster/task-status.js';
export type { TaskRun, TaskState, TaskStatus } from '../taskcluster/task-status.js';

// Waits: for a task's resolution (expected as data), for something to show up, for a hook's fire.
export { waitForResolution } from '../taskcluster/wait.js';
export type { AwaitedTask, LoopBound, Resolution, TaskExpectation, WaitOptions } from '../taskcluster/wait.js';
export { pollUntil } from '../taskcluster/poll.js';
export type { PollOptions, PollOutcome } from '../taskcluster/poll.js';
export { createProbeHook, hookGroupIdParam, probeHookDefinition, probeHookScopes, waitForHookFire } from '../taskcluster/hook.js';
export type { HookFire, HookFiring, ProbeHook } from '../taskcluster/hook.js';

// Pulse: a queue of the check's own, bound before anything is triggered.
export { canaryRoutePattern, routeNamespaceParam, subscribeToCanaryRoute } from '../pulse/canary-subscription.js';
export type { CanarySubscription } from '../pulse/canary-subscription.js';
export { canaryExchange, TASKCLUSTER_EXCHANGES } from '../pulse/names.js';
export type { PulseAccess, PulseBinding, PulseMessage, PulseSubscription } from '../pulse/access.js';

// The Pulse broker's management HTTP API (ctx.pulseManagement), read-only, and a queue's depth across runs.
export type { BrokerOverview, NodeStats, PulseManagementApi, QueueListOptions, QueueStats } from '../pulse/management-api.js';
export { currentGrowth, depthSamples, queueMetric } from '../pulse/queue-growth.js';
export type { DepthSample, Growth } from '../pulse/queue-growth.js';

// The deployment's API: its errors explained, its URLs, what an HTTP answer must be.
export {
  ExplainedApiError, explainScopes, isNotFound, missingScopesOf, serviceMessageOf, statusCodeOf, unlessNotFound, withScopeExplanation,
} from '../taskcluster/api-errors.js';
export { apiUrl, deploymentUrl } from '../taskcluster/urls.js';
export { expectJsonObject, expectStatus, preview } from '../http/expect.js';

// What tc-canary stores it marks, so a sweep tells its leftovers from anything else under the same prefix.
export { probeMark } from '../taskcluster/probe-mark.js';
export { deleteIndexEntry, markedIndexExtra } from '../taskcluster/index-entry.js';

// Worker pools, as worker-manager and the queue describe them.
export { readBacklog, readOldestPending } from '../pools/backlog.js';
export { readCapacity } from '../pools/capacity.js';
export { sampleMetrics, samplesOf } from '../pools/capacity-sample.js';
export type { CapacitySample } from '../pools/capacity-sample.js';
export { errorsSince, mostFrequentTitles } from '../pools/pool-errors.js';
export { CLOUD_PROVIDER_TYPES, readProviderTypes } from '../pools/providers.js';
export { probePayload } from '../pools/payload.js';
export { noGrowthRule } from '../pools/strike-rules.js';
export { maxCapacityOf, notManagedReason, notProvisionedReason, readManagedPool } from '../pools/worker-pool.js';
export type { WorkerPool } from '../pools/worker-pool.js';
export { listPoolWorkers, stalestChecked } from '../pools/workers.js';
export { chooseObserver, describeWorkStrike, findWorkStrike } from '../pools/work-strike.js';
