import {
  cancelTaskIfUnresolved, cancelTaskScopes, createProbeTask, createTaskScopes, defineCheck, describeResolution,
  formatDuration, formatElapsed, param, pollIntervalParam, probeTaskLeftovers, taskHygiene, taskHygieneParams,
  trackTask, waitForResolution, type CheckContext, type EarlierResult, type ParamValues, type TaskStatus,
} from '../src/check/index.js';

const LOOP = 'claim resolver';
/** How far back a run looks for claims left by earlier runs: longer than any claim timeout, shorter than a probe task's life. */
const LOOKBACK_MS = 86_400_000;
/** The resource naming a claim left to expire for a later run, and the one a later run records once it verified it. */
const LEFT_CLAIM = 'claim left to expire';
const VERIFIED_CLAIM = 'expired claim verified';
/** Claims per run: one for the probe task, more only when claimWork hands out leftovers of crashed runs first. */
const MAX_CLAIMS = 3;

interface ClaimedRun {
  status: TaskStatus;
  takenUntil: string;
  credentials?: { accessToken?: string; certificate?: string };
}

const PARAMS = {
  ...taskHygieneParams,
  // The task must outlive the claim: at its deadline the deadline resolver would end it first.
  deadline: param.duration('2h', 'Task deadline, after creation: longer than the deployment\'s claim timeout (TASK_CLAIM_TIMEOUT, often 20m) plus claimExpirySla'),
  taskQueueId: param.string('tc-canary/claim-probe', 'A task queue that no worker serves; tc-canary plays its worker', /^[a-zA-Z0-9_-]{1,38}\/[a-zA-Z0-9_-]{1,38}$/),
  workerGroup: param.string('tc-canary', 'Worker group tc-canary claims as', /^[a-zA-Z0-9_-]{1,38}$/),
  workerId: param.string('claim-probe', 'Worker id tc-canary claims as', /^[a-zA-Z0-9_-]{1,38}$/),
  claimExpirySla: param.duration('2m', 'Longest acceptable time from takenUntil to the run being resolved claim-expired'),
  maxWait: param.duration('2m', 'Wait for the expiry within the run when takenUntil is at most this far ahead; otherwise a later run verifies it'),
  pollInterval: pollIntervalParam,
};
type ClaimContext = CheckContext<ParamValues<typeof PARAMS>>;

/**
 * The queue's claim resolver: tc-canary claims a task as a worker (queue.claimWork) and never reports it, so the
 * resolver must resolve the run exception/claim-expired once its `takenUntil` passes. A deployment's claim
 * timeout is usually longer than a run should last: then the claim is left to expire and the next run that
 * finds it due verifies it, through the history.
 */
export const queueClaimResolver = defineCheck({
  id: 'queue.claim-resolver',
  description: 'A task claimed by tc-canary playing a worker, and never reported, is resolved exception/claim-expired once its claim lapses',
  tags: ['queue', 'task', 'loop'],
  schedule: '*/15 * * * *',
  timeout: '6m',
  watches: { service: 'queue', process: 'claimResolver' },
  params: PARAMS,
  scopes: (params) => ({
    AllOf: [
      ...createTaskScopes(params.taskQueueId, params),
      `queue:claim-work:${params.taskQueueId}`,
      `queue:worker-id:${params.workerGroup}/${params.workerId}`,
      cancelTaskScopes(params),
    ],
  }),
  leftovers: (params) => probeTaskLeftovers([params.taskQueueId], params),
  dashboard: { keyMetric: 'claim_expiry_lag_ms' },
  async run(ctx) {
    const { params } = ctx;
    // Earlier claims first, so that this run's verdict covers them; their problems are said after this run's claim.
    const problems = await ctx.step('verify claims left by earlier runs', () => verifyEarlierClaims(ctx));

    let leftForLaterRun = false;
    const task = await createProbeTask(ctx, { ...taskHygiene(params), taskQueueId: params.taskQueueId, payload: {}, keepIf: () => leftForLaterRun });
    const claimed = await ctx.step(`claim task ${task.taskId} as ${params.workerGroup}/${params.workerId}`, () => claimTask(ctx, task.taskId));
    const takenUntilMs = Date.parse(claimed.takenUntil);
    ctx.log(`claimed task ${task.taskId} until ${claimed.takenUntil}`);

    if (takenUntilMs - ctx.serverNow() <= params.maxWait) {
      const { status } = await waitForResolution(ctx, task, {
        loop: { loop: LOOP, after: 'its claim expired (takenUntil)', atMs: takenUntilMs, limitMs: params.claimExpirySla, states: ['running'] },
        expect: { state: 'exception', reason: 'claim-expired' },
        pollIntervalMs: params.pollInterval,
      });
      ctx.metric('claim_expiry_lag_ms', Date.parse(status.runs.at(-1)!.resolved!) - takenUntilMs, { unit: 'ms', limit: params.claimExpirySla });
    } else if (ctx.hasHistory) {
      leftForLaterRun = true;
      ctx.resource(LEFT_CLAIM, task.taskId);
      ctx.metric('taken_until_ms', takenUntilMs, { unit: 'epoch ms' });
      ctx.log(`the claim expires in ${formatElapsed(takenUntilMs - ctx.serverNow())}, past maxWait ${formatDuration(params.maxWait)}: the first run after ${new Date(takenUntilMs + params.claimExpirySla).toISOString()} verifies that the claim resolver resolved it`);
    } else {
      ctx.log('no history: only the claim was checked, not its expiry (a later run cannot verify it); the task is canceled');
    }
    if (problems.length > 0) ctx.fail(problems.join('; '));
  },
});

/** Claims work on the probe queue until the probe task is among it; leftovers of crashed runs claimed first are canceled at cleanup. */
async function claimTask(ctx: ClaimContext, taskId: string): Promise<ClaimedRun> {
  const { taskQueueId, workerGroup, workerId } = ctx.params;
  for (let claim = 1; claim <= MAX_CLAIMS; claim++) {
    const { tasks } = (await ctx.tc.queue.claimWork(taskQueueId, { workerGroup, workerId, tasks: 1 })) as { tasks: ClaimedRun[] };
    for (const run of tasks) {
      // Temporary credentials of the claimed run: never shown, recorded or logged.
      if (run.credentials?.accessToken) ctx.secret(run.credentials.accessToken);
      if (run.credentials?.certificate) ctx.secret(run.credentials.certificate);
    }
    const ours = tasks.find((run) => run.status.taskId === taskId);
    if (ours) return ours;
    for (const other of tasks) {
      ctx.log(`claimWork handed out task ${other.status.taskId} first (a leftover on ${taskQueueId}); it is canceled at cleanup`);
      trackTask(ctx, other.status.taskId);
    }
  }
  return ctx.fail(`claimWork(${taskQueueId}) did not hand out task ${taskId} in ${MAX_CLAIMS} claims: is a worker serving ${taskQueueId}?`);
}

/** Earlier runs' claims whose takenUntil plus the limit has passed: each must be resolved claim-expired. */
async function verifyEarlierClaims(ctx: ClaimContext): Promise<string[]> {
  const earlier = await ctx.earlierResults(ctx.clock.now() - LOOKBACK_MS);
  const verified = new Set(earlier.flatMap((result) => idsOf(result, VERIFIED_CLAIM)));
  const problems: string[] = [];
  for (const result of earlier) {
    const takenUntilMs = result.metrics.taken_until_ms?.value;
    for (const taskId of idsOf(result, LEFT_CLAIM)) {
      if (verified.has(taskId) || takenUntilMs === undefined) continue;
      const dueMs = takenUntilMs + ctx.params.claimExpirySla;
      if (ctx.serverNow() < dueMs) {
        ctx.log(`task ${taskId} (claimed by a run at ${result.startedAt}) is verified after ${new Date(dueMs).toISOString()}`);
        continue;
      }
      const problem = await verifyExpiredClaim(ctx, taskId, takenUntilMs);
      if (problem) problems.push(problem);
      ctx.resource(VERIFIED_CLAIM, taskId);
    }
  }
  return problems;
}

async function verifyExpiredClaim(ctx: ClaimContext, taskId: string, takenUntilMs: number): Promise<string | undefined> {
  const { status } = (await ctx.tc.queue.status(taskId)) as { status: TaskStatus };
  const run = status.runs.at(-1);
  const overdue = formatElapsed(ctx.serverNow() - takenUntilMs);
  if (status.state === 'running') {
    await cancelTaskIfUnresolved(ctx, taskId);
    return `${LOOP}: task ${taskId}, claimed by an earlier run, is still running ${overdue} after its claim expired (limit ${formatDuration(ctx.params.claimExpirySla)}); canceled`;
  }
  if (status.state !== 'exception' || run?.reasonResolved !== 'claim-expired') {
    return `${LOOP}: task ${taskId}, claimed by an earlier run, resolved ${describeResolution(status)}, expected exception (claim-expired)`;
  }
  const lagMs = Date.parse(run.resolved ?? '') - takenUntilMs;
  ctx.log(`task ${taskId}, claimed by an earlier run, was resolved claim-expired ${formatElapsed(lagMs)} after its claim expired`);
  ctx.metric('claim_expiry_lag_ms', lagMs, { unit: 'ms', limit: ctx.params.claimExpirySla });
  return undefined;
}

const idsOf = (result: EarlierResult, type: string) => result.resources.filter((resource) => resource.type === type).map((resource) => resource.id);
