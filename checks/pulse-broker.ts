import { defineCheck, failOnProblems, param, type NodeStats } from '../src/check/index.js';

const percent = (part: number, whole: number) => Math.round((part / Math.max(whole, 1)) * 1000) / 10;

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The worst value of a node figure over the nodes that report it. */
function worst(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

interface Headroom {
  /** Memory used, in % of the high watermark. */
  memoryPct?: number;
  /** The free-disk limit, in % of the free disk. */
  diskPct?: number;
}

function headroomOf(node: NodeStats): Headroom {
  return {
    memoryPct: node.memUsed !== undefined && node.memLimit !== undefined ? percent(node.memUsed, node.memLimit) : undefined,
    diskPct: node.diskFree !== undefined && node.diskFreeLimit !== undefined ? percent(node.diskFreeLimit, node.diskFree) : undefined,
  };
}

/** One line per node for the log: every figure it reports. */
function describeNode(node: NodeStats, { memoryPct, diskPct }: Headroom): string {
  const parts = [
    ...(memoryPct === undefined ? [] : [`memory ${bytes(node.memUsed!)} of its ${bytes(node.memLimit!)} high watermark (${memoryPct} %)`]),
    ...(diskPct === undefined ? [] : [`free disk ${bytes(node.diskFree!)}, alarm below ${bytes(node.diskFreeLimit!)} (${diskPct} %)`]),
    ...(node.fdUsed === undefined ? [] : [`${node.fdUsed} of ${node.fdTotal ?? '?'} file descriptors`]),
    ...(node.socketsUsed === undefined ? [] : [`${node.socketsUsed} of ${node.socketsTotal ?? '?'} sockets`]),
  ];
  return `node ${node.name}: ${node.running ? parts.join(', ') || 'no figures' : 'not running'}`;
}

export const pulseBroker = defineCheck({
  id: 'pulse.broker',
  description: 'The Pulse broker has no memory or disk alarm, and keeps its headroom below them',
  tags: ['pulse', 'rabbitmq'],
  requires: ['pulse-management'],
  schedule: '*/5 * * * *',
  timeout: '60s',
  dashboard: { keyMetric: 'memory_used_pct' },
  params: {
    timeout: param.duration('10s', 'Bound on each request to the management API'),
    maxMemory: param.number(80, 'Memory used, in % of the high watermark, above which the check fails (at 100 % the broker blocks publishers)', { min: 1, max: 100 }),
    maxDiskLimit: param.number(80, 'The free-disk limit, in % of the free disk, above which the check fails (at 100 % the broker blocks publishers)', { min: 1, max: 100 }),
  },
  async run(ctx) {
    const api = ctx.pulseManagement!;
    const { timeout, maxMemory, maxDiskLimit } = ctx.params;
    const overview = await ctx.step('read the overview', () => api.overview({ timeoutMs: timeout }));
    ctx.log(`RabbitMQ ${overview.rabbitmqVersion ?? '(version not said)'} on Erlang ${overview.erlangVersion ?? '(version not said)'}${overview.clusterName ? `, cluster ${overview.clusterName}` : ''}`);
    const nodes = await ctx.step('read the nodes', () => api.nodes({ timeoutMs: timeout }));
    if (nodes.length === 0) ctx.fail('the management API lists no broker node');

    const problems: string[] = [];
    const headrooms = nodes.map((node) => {
      const headroom = headroomOf(node);
      ctx.log(describeNode(node, headroom));
      if (!node.running) problems.push(`node ${node.name} is not running`);
      if (node.partitions.length > 0) problems.push(`node ${node.name} cannot reach ${node.partitions.join(', ')} (a network partition)`);
      if (node.memAlarm) problems.push(`memory alarm on node ${node.name}: it blocks publishers (${headroom.memoryPct ?? '?'} % of its high watermark used)`);
      else if (headroom.memoryPct !== undefined && headroom.memoryPct > maxMemory) problems.push(`node ${node.name} uses ${headroom.memoryPct} % of its memory high watermark (limit ${maxMemory} %)`);
      if (node.diskFreeAlarm) problems.push(`disk alarm on node ${node.name}: it blocks publishers (${node.diskFree === undefined ? 'free disk not said' : `${bytes(node.diskFree)} free`}, below its limit)`);
      else if (headroom.diskPct !== undefined && headroom.diskPct > maxDiskLimit) problems.push(`node ${node.name} has ${bytes(node.diskFree!)} free disk, its alarm limit ${bytes(node.diskFreeLimit!)} is ${headroom.diskPct} % of it (limit ${maxDiskLimit} %)`);
      return headroom;
    });

    const memory = worst(headrooms.map((h) => h.memoryPct));
    if (memory !== undefined) ctx.metric('memory_used_pct', memory, { unit: '%', limit: maxMemory });
    const disk = worst(headrooms.map((h) => h.diskPct));
    if (disk !== undefined) ctx.metric('disk_limit_pct', disk, { unit: '%', limit: maxDiskLimit });
    const fds = worst(nodes.map((node) => node.fdUsed));
    if (fds !== undefined) ctx.metric('fd_used', fds, { unit: 'count' });
    const sockets = worst(nodes.map((node) => node.socketsUsed));
    if (sockets !== undefined) ctx.metric('sockets_used', sockets, { unit: 'count' });
    if (overview.connections !== undefined) ctx.metric('connections', overview.connections, { unit: 'count' });
    if (overview.channels !== undefined) ctx.metric('channels', overview.channels, { unit: 'count' });
    failOnProblems(problems);
  },
});
