// YAML document -> Config, with defaults, collecting every structural problem. Check parameters are
// validated later against the catalogue (./check-params.ts), so both kinds of problem are reported together.

import path from 'node:path';
import { POSITIVE_DURATION, parseDuration } from '../check/duration.js';
import { TASK_PRIORITIES } from '../taskcluster/priority.js';
import { readAlerts } from './alerts.js';
import { readCompare } from './compare.js';
import { Diagnostics } from './diagnostics.js';
import { readMaintenance } from './maintenance.js';
import { readPulseQueues } from './pulse-queues.js';
import { readRetention } from './retention.js';
import { placeholderProblem } from './placeholders.js';
import { ConfigReader, join } from './reader.js';
import {
  ALL_SERVICES, WORKER_IMPLEMENTATIONS, defaultConfig, type Config, type PoolConfig, type PulseConfig,
} from './types.js';

const TOP_KEYS = ['rootUrl', 'services', 'concurrency', 'checks', 'checksDir', 'pools', 'pulse', 'history', 'retention', 'alerts', 'maintenance', 'compare'] as const;
const CHECKS_KEYS = ['include', 'exclude', 'params', 'schedules'] as const;
const PULSE_KEYS = ['url', 'namespace', 'publishResults', 'managementUrl', 'queues'] as const;
const POOL_KEYS = [
  'taskQueueId', 'implementation', 'payload', 'claimSla', 'resolveSla', 'maxPending', 'maxPendingAge', 'maxErrors',
  'errorWindow', 'scannerMaxAge', 'schedule', 'priority',
] as const;

/** Pool defaults: generous enough for autoscaled cloud pools that start a worker per task. */
export const POOL_DEFAULTS = {
  claimSla: parseDuration('15m')!,
  resolveSla: parseDuration('10m')!,
  maxPending: 100,
  maxErrors: 5,
  errorWindow: parseDuration('1h')!,
  scannerMaxAge: parseDuration('2h')!,
};

export interface ParsedConfig {
  config: Config;
  diagnostics: Diagnostics;
}

export function parseConfig(document: unknown, configFile: string | undefined): ParsedConfig {
  const diagnostics = new Diagnostics();
  const read = new ConfigReader(diagnostics);
  const config = defaultConfig();
  if (configFile) config.file = configFile;
  if (document === null || document === undefined) return { config, diagnostics };
  const top = read.mapping(document, '', TOP_KEYS);
  if (!top) return { config, diagnostics };

  if (top.rootUrl !== undefined) config.rootUrl = url(read, top.rootUrl, 'rootUrl', ['http:', 'https:']);
  if (top.services !== undefined) {
    const services = read.stringList(top.services, 'services');
    services?.forEach((service, i) => read.oneOf(service, join('services', i), ALL_SERVICES));
    if (services) config.services = services;
  }
  if (top.concurrency !== undefined) config.concurrency = read.integer(top.concurrency, 'concurrency', 1, 256) ?? config.concurrency;
  if (top.checks !== undefined) readChecks(read, top.checks, config);
  if (top.checksDir !== undefined) {
    const dir = read.string(top.checksDir, 'checksDir');
    if (dir) config.checksDir = path.resolve(configFile ? path.dirname(configFile) : process.cwd(), dir);
  }
  if (top.pools !== undefined) config.pools = readPools(read, top.pools);
  if (top.pulse !== undefined) {
    const pulse = readPulse(read, top.pulse);
    if (pulse) config.pulse = pulse;
  }
  if (top.history !== undefined) {
    const history = read.string(top.history, 'history');
    if (history !== undefined && !/^(sqlite:|postgres(ql)?:\/\/|\$\{)/.test(history)) {
      read.problem('history', `expected sqlite:PATH or postgres://..., got ${JSON.stringify(history)}`);
    } else if (history !== undefined) config.history = checkedPlaceholders(read, history, 'history');
  }
  if (top.retention !== undefined) config.retention = readRetention(read, top.retention);
  if (top.alerts !== undefined) {
    const alerts = readAlerts(read, top.alerts);
    if (alerts) config.alerts = alerts;
  }
  if (top.maintenance !== undefined) config.maintenance = readMaintenance(read, top.maintenance);
  if (top.compare !== undefined) config.compare = readCompare(read, top.compare);
  return { config, diagnostics };
}

function checkedPlaceholders(read: ConfigReader, value: string, at: string): string {
  const problem = placeholderProblem(value);
  if (problem) read.problem(at, problem);
  return value;
}

/** A URL, or a ${VAR} reference to one (checked when it is resolved). */
function url(read: ConfigReader, value: unknown, at: string, protocols: string[]): string | undefined {
  const text = read.string(value, at);
  if (text === undefined) return undefined;
  if (text.includes('${')) return checkedPlaceholders(read, text, at);
  try {
    const parsed = new URL(text);
    if (!protocols.includes(parsed.protocol)) return read.problem(at, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  } catch {
    return read.problem(at, 'expected a URL');
  }
  return text;
}

function readChecks(read: ConfigReader, value: unknown, config: Config): void {
  const checks = read.mapping(value, 'checks', CHECKS_KEYS);
  if (!checks) return;
  if (checks.include !== undefined) config.checks.include = read.stringList(checks.include, 'checks.include') ?? [];
  if (checks.exclude !== undefined) config.checks.exclude = read.stringList(checks.exclude, 'checks.exclude') ?? [];
  if (checks.params !== undefined) {
    const params = read.mapping(checks.params, 'checks.params') ?? {};
    for (const [id, values] of Object.entries(params)) {
      const mapping = read.mapping(values, join('checks.params', id));
      if (mapping) config.checks.params[id] = mapping;
    }
  }
  if (checks.schedules !== undefined) {
    const schedules = read.mapping(checks.schedules, 'checks.schedules') ?? {};
    for (const [pattern, expression] of Object.entries(schedules)) {
      const valid = read.cron(expression, join('checks.schedules', pattern));
      if (valid) config.checks.schedules[pattern] = valid;
    }
  }
}

function readPools(read: ConfigReader, value: unknown): PoolConfig[] {
  const pools: PoolConfig[] = [];
  const seen = new Set<string>();
  (read.list(value, 'pools') ?? []).forEach((item, i) => {
    const at = join('pools', i);
    const raw = read.mapping(item, at, POOL_KEYS);
    if (!raw) return;
    const taskQueueId = read.string(raw.taskQueueId, join(at, 'taskQueueId'));
    if (taskQueueId !== undefined && !/^[a-zA-Z0-9_-]{1,38}\/[a-zA-Z0-9_-]{1,38}$/.test(taskQueueId)) {
      read.problem(join(at, 'taskQueueId'), `expected <provisionerId>/<workerType>, got ${JSON.stringify(taskQueueId)}`);
    }
    if (taskQueueId !== undefined && seen.has(taskQueueId)) read.problem(join(at, 'taskQueueId'), `${taskQueueId} is listed twice`);
    if (taskQueueId !== undefined) seen.add(taskQueueId);
    const optional = <T>(key: string, readValue: (v: unknown, p: string) => T | undefined): T | undefined =>
      raw[key] === undefined ? undefined : readValue(raw[key], join(at, key));
    const pool: PoolConfig = {
      taskQueueId: taskQueueId ?? '',
      implementation: optional('implementation', (v, p) => read.oneOf(v, p, WORKER_IMPLEMENTATIONS)) ?? 'generic-worker',
      claimSla: optional('claimSla', (v, p) => read.duration(v, p, POSITIVE_DURATION)) ?? POOL_DEFAULTS.claimSla,
      resolveSla: optional('resolveSla', (v, p) => read.duration(v, p, POSITIVE_DURATION)) ?? POOL_DEFAULTS.resolveSla,
      maxPending: optional('maxPending', (v, p) => read.integer(v, p, 0)) ?? POOL_DEFAULTS.maxPending,
      maxErrors: optional('maxErrors', (v, p) => read.integer(v, p, 0)) ?? POOL_DEFAULTS.maxErrors,
      errorWindow: optional('errorWindow', (v, p) => read.duration(v, p, POSITIVE_DURATION)) ?? POOL_DEFAULTS.errorWindow,
      scannerMaxAge: optional('scannerMaxAge', (v, p) => read.duration(v, p, POSITIVE_DURATION)) ?? POOL_DEFAULTS.scannerMaxAge,
    };
    const payload = optional('payload', (v, p) => read.mapping(v, p));
    if (payload) pool.payload = payload;
    const maxPendingAge = optional('maxPendingAge', (v, p) => read.duration(v, p, POSITIVE_DURATION));
    if (maxPendingAge !== undefined) pool.maxPendingAge = maxPendingAge;
    const schedule = optional('schedule', (v, p) => read.cron(v, p));
    if (schedule) pool.schedule = schedule;
    const priority = optional('priority', (v, p) => (v === 'normal'
      ? read.problem(p, 'normal is the queue\'s legacy name for lowest: write lowest')
      : read.oneOf(v, p, TASK_PRIORITIES)));
    if (priority) pool.priority = priority;
    if (pool.implementation === 'none' && payload) read.problem(join(at, 'payload'), 'a pool with implementation none runs no task, so it takes no payload');
    if (pool.implementation === 'none' && priority) read.problem(join(at, 'priority'), 'a pool with implementation none runs no task, so it takes no priority');
    pools.push(pool);
  });
  return pools;
}

function readPulse(read: ConfigReader, value: unknown): PulseConfig | undefined {
  const raw = read.mapping(value, 'pulse', PULSE_KEYS);
  if (!raw) return undefined;
  const pulse: PulseConfig = { publishResults: false, queues: [] };
  // Without url, PULSE_URL gives it (checked where Pulse is used: the environment is not the config's).
  if (raw.url !== undefined) pulse.url = url(read, raw.url, 'pulse.url', ['amqp:', 'amqps:']) ?? '';
  if (raw.namespace !== undefined) {
    const namespace = read.string(raw.namespace, 'pulse.namespace');
    if (namespace) pulse.namespace = namespace;
  }
  if (raw.publishResults !== undefined) pulse.publishResults = read.boolean(raw.publishResults, 'pulse.publishResults') ?? false;
  if (raw.managementUrl !== undefined) pulse.managementUrl = url(read, raw.managementUrl, 'pulse.managementUrl', ['http:', 'https:']) ?? '';
  if (raw.queues !== undefined) {
    pulse.queues = readPulseQueues(read, raw.queues, 'pulse.queues');
    if (raw.managementUrl === undefined) read.problem('pulse.queues', 'needs pulse.managementUrl: the queues are read through the broker\'s management HTTP API');
  }
  return pulse;
}
