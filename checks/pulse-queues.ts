import {
  currentGrowth, defineCheck, defineCheckFamily, depthSamples, failOnProblems, formatDuration, formatElapsed, param, queueMetric,
  type CheckContext, type EarlierResult, type PulseQueueConfig, type QueueStats,
} from '../src/check/index.js';

const PARAMS = {
  timeout: param.duration('10s', 'Bound on each request to the management API'),
};

const rate = (perSecond: number) => Math.round(perSecond * 100) / 100;

/** pulse.queue.<name>, for each entry of pulse.queues. */
export const pulseQueues = defineCheckFamily(({ pulseQueues: entries = [] }) =>
  entries.map((entry) => defineCheck({
    id: `pulse.queue.${entry.name}`,
    description: describeEntry(entry),
    tags: ['pulse', 'pulse-queue'],
    requires: ['pulse-management'],
    schedule: '*/5 * * * *',
    timeout: '60s',
    params: PARAMS,
    // A pattern naming one queue: its depth is what the overview shows (with a glob, the queue names are only known at run time).
    ...(!entry.pattern.includes('*') && { dashboard: { keyMetric: queueMetric(entry.pattern, 'messages') } }),
    async run(ctx) {
      const api = ctx.pulseManagement!;
      const vhost = entry.vhost ?? api.vhost;
      const queues = await ctx.step(`list the queues matching ${entry.pattern}`, () => api.queues(entry.pattern, { vhost, timeoutMs: ctx.params.timeout }));
      if (queues.length === 0) {
        ctx.fail(`no queue on vhost "${vhost}" matches ${entry.pattern}: its consumer is gone (a Pulse queue goes with its consumer, or the broker deleted it)`);
      }
      const nowMs = ctx.clock.now();
      // Twice maxGrowth back: the run that started a growth longer than maxGrowth is in it.
      const earlier = entry.maxGrowth === undefined ? [] : await ctx.step('read earlier queue depths from the history', () => ctx.earlierResults(nowMs - 2 * entry.maxGrowth!));
      const problems = queues.flatMap((queue) => judgeQueue(ctx, entry, queue, earlier, nowMs));
      failOnProblems(problems);
    },
  })),
);

function describeEntry({ pattern, minConsumers, maxMessages, maxMessagesAge, maxGrowth }: PulseQueueConfig): string {
  const limits = [
    `at least ${minConsumers} consumer${minConsumers === 1 ? '' : 's'}`,
    ...(maxMessages === undefined ? [] : [`at most ${maxMessages} messages`]),
    ...(maxMessagesAge === undefined ? [] : [`no message older than ${formatDuration(maxMessagesAge)}`]),
    ...(maxGrowth === undefined ? [] : [`no growth at every run for over ${formatDuration(maxGrowth)}`]),
  ];
  return `Each Pulse queue matching ${pattern} exists and has ${limits.join(', ')}`;
}

/** Records the queue's metrics; returns what is wrong with it, each naming it. */
function judgeQueue(ctx: CheckContext<unknown>, entry: PulseQueueConfig, queue: QueueStats, earlier: readonly EarlierResult[], nowMs: number): string[] {
  const named = `queue "${queue.name}"`;
  const { messages, consumers } = queue;
  if (messages === undefined || consumers === undefined) {
    ctx.log(`${named}: the broker has published no statistics for it yet`);
    return [];
  }
  const metric = (name: string, value: number, unit: string, limit?: number) => ctx.metric(queueMetric(queue.name, name), value, { unit, ...(limit !== undefined && { limit }) });
  metric('messages', messages, 'count', entry.maxMessages);
  if (queue.messagesReady !== undefined) metric('messages_ready', queue.messagesReady, 'count');
  metric('consumers', consumers, 'count');
  metric('publish_rate', rate(queue.publishRate), 'msg/s');
  metric('deliver_rate', rate(queue.deliverRate), 'msg/s');
  const drainRate = queue.deliverRate - queue.publishRate;
  if (messages > 0 && drainRate > 0) metric('drain_eta_s', Math.round(messages / drainRate), 's');

  const rates = `publishing ${rate(queue.publishRate)}/s, delivering ${rate(queue.deliverRate)}/s`;
  const problems: string[] = [];
  if (entry.maxMessages !== undefined && messages > entry.maxMessages) problems.push(`${named} holds ${messages} messages (limit ${entry.maxMessages}; ${rates})`);
  if (consumers < entry.minConsumers) problems.push(`${named} has ${consumers} consumer${consumers === 1 ? '' : 's'} (at least ${entry.minConsumers} expected)`);
  if (entry.maxMessagesAge !== undefined && queue.headMessageAtMs !== undefined) {
    const ageMs = Math.max(0, nowMs - queue.headMessageAtMs);
    metric('oldest_message_s', Math.round(ageMs / 1000), 's', entry.maxMessagesAge / 1000);
    if (ageMs > entry.maxMessagesAge) problems.push(`${named}: its oldest message is ${formatElapsed(ageMs)} old (limit ${formatDuration(entry.maxMessagesAge)})`);
  } else if (entry.maxMessagesAge !== undefined && messages > 0) {
    ctx.log(`${named}: the age of its oldest message is unknown (its publisher sets no timestamp)`);
  }
  if (entry.maxGrowth !== undefined) {
    const samples = [...depthSamples(earlier, queue.name), { atMs: nowMs, messages }];
    const growth = currentGrowth(samples);
    if (!ctx.hasHistory) {
      ctx.log(`${named}: its growth is judged across runs, and this run has no history`);
    } else if (samples.length === 1) {
      ctx.log(`${named}: no depth of it recorded in the last ${formatDuration(2 * entry.maxGrowth)}; its growth is judged from the next run on`);
    } else if (growth) {
      const grew = `grew at every run for ${formatElapsed(growth.spanMs)} (from ${growth.from.messages} to ${growth.to.messages} messages in ${growth.samples} runs)`;
      if (growth.spanMs > entry.maxGrowth) problems.push(`${named} ${grew}, longer than maxGrowth ${formatDuration(entry.maxGrowth)} (${rates})`);
      else ctx.log(`${named} ${grew}, within maxGrowth ${formatDuration(entry.maxGrowth)}`);
    }
  }
  return problems;
}
