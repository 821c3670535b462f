// pulse.queue.<name> and pulse.broker against the real test broker's management API (scripts/services.sh
// enables it), through the real runner. Queues are filled and consumed over AMQP; each test waits until the
// API's statistics show what it set up, so no verdict depends on when the broker samples.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pulseBroker } from '../../checks/pulse-broker.js';
import { pulseQueues } from '../../checks/pulse-queues.js';
import type { AnyCheck } from '../../src/check/define.js';
import { defaultParams } from '../../src/check/params.js';
import type { RunResult } from '../../src/check/result.js';
import type { Clock } from '../../src/clock.js';
import { DEFAULT_MIN_CONSUMERS, defaultQueueCheckName } from '../../src/config/pulse-queues.js';
import type { PulseQueueConfig } from '../../src/config/types.js';
import { earlierResultsFrom } from '../../src/history/earlier-results.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import type { ManagementSettings } from '../../src/pulse/management-settings.js';
import { HistoryRecorder } from '../../src/history/recorder.js';
import { Redactor } from '../../src/redact.js';
import type { RunReporter } from '../../src/report/reporter.js';
import { runChecks } from '../../src/runner/run.js';
import { ROOT_URL, mockPreflight } from '../support/deployment.js';
import { missingService, services } from '../support/services.js';
import { VHOST } from '../pulse/broker.js';
import { TestQueues, managementSettings, untilBrokerShows } from '../pulse/management-broker.js';
import { resultOf } from './harness.js';

const MINUTE = 60_000;

function queueCheck(entry: Partial<PulseQueueConfig> & { pattern: string }): AnyCheck {
  const [check] = pulseQueues({ services: [], pools: [], pulseQueues: [{ name: defaultQueueCheckName(entry.pattern), minConsumers: DEFAULT_MIN_CONSUMERS, ...entry }] });
  return check!;
}

interface RunOptions {
  settings?: ManagementSettings;
  clock?: Clock;
  store?: HistoryStore;
}

async function run(checks: AnyCheck[], { settings = managementSettings(), clock, store }: RunOptions = {}): Promise<RunResult> {
  mockPreflight({ scopes: [] });
  const recorder = store && new HistoryRecorder(store, { toolVersion: 'test', onProblem: (message) => { throw new Error(message); }, ...(clock && { clock }) });
  const reporters: RunReporter[] = recorder ? [recorder.reporter()] : [];
  const result = await runChecks({
    checks: checks.map((check) => ({ check, params: defaultParams(check.params ?? {}) })),
    rootUrl: ROOT_URL,
    credentials: { clientId: 'tc-canary-test', accessToken: 'access-token-for-management-checks' },
    concurrency: 4,
    reporters,
    redactor: new Redactor(),
    toolVersion: 'test',
    pulseManagement: settings,
    earlierResults: store && earlierResultsFrom(store),
    ...(clock && { clock }),
  });
  await recorder?.drain();
  return result;
}

describe.skipIf(missingService('managementUrl'))('Pulse queues and broker through the management API', () => {
  let queues: TestQueues;

  beforeAll(async () => {
    queues = await TestQueues.open();
  });
  afterAll(async () => {
    await queues?.close();
  });
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('fails a queue holding 1,000 messages with no consumer on maxMessages and minConsumers, naming the queue', async () => {
    const queue = await queues.declare('backlog');
    await queues.publish(queue, 1000);
    await untilBrokerShows(queue, { messages: 1000, consumers: 0 });

    const check = queueCheck({ pattern: queue, maxMessages: 500 });
    const result = resultOf(await run([check]), check.id);

    expect(result.outcome).toBe('failed');
    expect(result.error!.kind).toBe('sla');
    expect(result.error!.message).toMatch(new RegExp(`^queue "${queue}" holds 1000 messages \\(limit 500; publishing [\\d.]+/s, delivering 0/s\\); queue "${queue}" has 0 consumers \\(at least 1 expected\\)$`));
    expect(result.metrics[`${queue}.messages`]).toEqual({ value: 1000, unit: 'count', limit: 500, ok: false });
    expect(result.metrics[`${queue}.messages_ready`]).toEqual({ value: 1000, unit: 'count' });
    expect(result.metrics[`${queue}.consumers`]).toEqual({ value: 0, unit: 'count' });
    expect(result.metrics[`${queue}.deliver_rate`]).toEqual({ value: 0, unit: 'msg/s' });
    expect(result.metrics[`${queue}.publish_rate`]!.unit).toBe('msg/s');
    // Nothing drains it: no drain ETA.
    expect(result.metrics[`${queue}.drain_eta_s`]).toBeUndefined();
  });

  it('passes queues whose consumers keep up, with the metrics of each queue the pattern matches', async () => {
    const [first, second] = [await queues.declare('consumed/a'), await queues.declare('consumed/b')];
    for (const queue of [first!, second!]) {
      await queues.consume(queue);
      await queues.publish(queue, 100);
    }
    for (const queue of [first!, second!]) await untilBrokerShows(queue, { messages: 0, consumers: 1 });

    const check = queueCheck({ pattern: `${queues.prefix}/consumed/*`, maxMessages: 500 });
    const result = resultOf(await run([check]), check.id);

    expect(result.outcome, JSON.stringify(result.error)).toBe('passed');
    for (const queue of [first!, second!]) {
      expect(result.metrics[`${queue}.messages`]).toEqual({ value: 0, unit: 'count', limit: 500, ok: true });
      expect(result.metrics[`${queue}.consumers`]).toEqual({ value: 1, unit: 'count' });
    }
    expect(Object.keys(result.metrics).filter((name) => name.endsWith('.messages')).sort()).toEqual([`${first}.messages`, `${second}.messages`]);
  });

  describe('growth across runs, from a real SQLite history', () => {
    let dir: string;
    let store: HistoryStore;

    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-pulse-queues-'));
      store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`);
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('fails a queue that grew from one run to the next for longer than maxGrowth, and passes it under a longer maxGrowth', async () => {
      const queue = await queues.declare('growing');
      await queues.publish(queue, 100);
      await untilBrokerShows(queue, { messages: 100, consumers: 0 });
      // Two checks on the same queue: growth over 8 minutes is longer than 5m and shorter than 30m.
      const strict = queueCheck({ pattern: queue, name: 'growth-strict', minConsumers: 0, maxGrowth: 5 * MINUTE });
      const lenient = queueCheck({ pattern: queue, name: 'growth-lenient', minConsumers: 0, maxGrowth: 30 * MINUTE });

      const first = await run([strict, lenient], { store });
      expect(first.checks.map((check) => check.outcome)).toEqual(['passed', 'passed']);
      expect(resultOf(first, strict.id).log.map((line) => line.message), JSON.stringify(resultOf(first, strict.id).log)).toContain(`queue "${queue}": no depth of it recorded in the last 10m; its growth is judged from the next run on`);

      await queues.publish(queue, 100);
      await untilBrokerShows(queue, { messages: 200, consumers: 0 });
      // The next scheduled run, 8 minutes later.
      const later: Clock = { now: () => Date.now() + 8 * MINUTE };
      const second = await run([strict, lenient], { store, clock: later });

      const failed = resultOf(second, strict.id);
      expect(failed.outcome).toBe('failed');
      expect(failed.error!.message).toMatch(new RegExp(`^queue "${queue}" grew at every run for 8m( \\d+s)? \\(from 100 to 200 messages in 2 runs\\), longer than maxGrowth 5m \\(publishing [\\d.]+/s, delivering 0/s\\)$`));
      expect(failed.metrics[`${queue}.messages`]).toEqual({ value: 200, unit: 'count' });
      const passed = resultOf(second, lenient.id);
      expect(passed.outcome).toBe('passed');
      expect(passed.log.map((line) => line.message)).toContainEqual(expect.stringMatching(new RegExp(`^queue "${queue}" grew at every run for 8m( \\d+s)? \\(from 100 to 200 messages in 2 runs\\), within maxGrowth 30m$`)));
    });
  });

  it('fails a pattern that matches no queue, saying so', async () => {
    const check = queueCheck({ pattern: `${queues.prefix}/vanished-*` });
    const result = resultOf(await run([check]), check.id);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toBe(`no queue on vhost "${VHOST}" matches ${queues.prefix}/vanished-*: its consumer is gone (a Pulse queue goes with its consumer, or the broker deleted it)`);
  });

  it('passes pulse.broker on a broker without alarms, recording its headroom, use and versions', async () => {
    const result = resultOf(await run([pulseBroker]), pulseBroker.id);
    expect(result.outcome, JSON.stringify(result.error)).toBe('passed');
    expect(result.metrics.memory_used_pct).toMatchObject({ unit: '%', limit: 80, ok: true });
    expect(result.metrics.disk_limit_pct).toMatchObject({ unit: '%', limit: 80, ok: true });
    // Our own AMQP connection and channel are among them.
    expect(result.metrics.connections!.value).toBeGreaterThanOrEqual(1);
    expect(result.metrics.channels!.value).toBeGreaterThanOrEqual(1);
    expect(result.metrics.fd_used!.value).toBeGreaterThan(0);
    expect(result.metrics.sockets_used).toMatchObject({ unit: 'count' });
    const log = result.log.map((line) => line.message);
    expect(log[0]).toMatch(/^RabbitMQ 3\.\d+\.\d+ on Erlang \d+[\d.]*, cluster \S+$/);
    expect(log[1]).toMatch(/^node \S+: memory .* of its .* high watermark \([\d.]+ %\), free disk .*, alarm below .* \([\d.]+ %\), \d+ of \d+ file descriptors, \d+ of \d+ sockets$/);
  });

  it('skips both checks for a user without the monitoring tag or a permission on the vhost, naming what is missing', async () => {
    const settings = managementSettings(services.managementNoMonitoringUrl!);
    const check = queueCheck({ pattern: `${queues.prefix}/*` });
    const result = await run([pulseBroker, check], { settings });

    expect(resultOf(result, pulseBroker.id)).toMatchObject({
      outcome: 'skipped',
      skipReason: 'missing management permission: the management tag "monitoring" (GET /api/nodes answered 401 "Not monitor user" for user "canary-management")',
    });
    expect(resultOf(result, check.id)).toMatchObject({
      outcome: 'skipped',
      skipReason: `missing management permission: the management tag "monitoring" (or "management") and a permission on vhost "${VHOST}" (GET /api/queues/${VHOST} answered 401 "User not authorised to access virtual host" for user "canary-management")`,
    });
  });
});
