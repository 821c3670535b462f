// Waits woken by the task's own queue events, against the real broker and a loopback queue that plays real
// timings (bench/played-queue.ts): the transition is seen within milliseconds of the queue's timestamp, the
// queue is read a handful of times instead of once a second, the claim SLA still fails at its boundary, and a
// broker lost mid-wait leaves the check to polling, still passing.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDistantBroker } from '../../bench/distant-broker.js';
import { PlayedQueue } from '../../bench/played-queue.js';
import { builtInSucceed } from '../../checks/queue-built-in.js';
import { defaultParams } from '../../src/check/params.js';
import type { CheckResult } from '../../src/check/result.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { Redactor } from '../../src/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { FakeTaskclusterPulse } from '../support/fake-taskcluster-pulse.js';
import { fixture } from '../support/deployment.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, closeConnectionFromBroker, queueNames, startBroker, stopBroker, VHOST } from '../pulse/broker.js';

const WAIT_STEP = /^wait for task \S+ to resolve$/;

async function runBuiltIn(played: PlayedQueue, pulse: PulseConnection | undefined, params: Record<string, unknown> = {}): Promise<CheckResult> {
  const run = await runChecks({
    checks: [{ check: builtInSucceed, params: { ...defaultParams(builtInSucceed.params!), ...params } }],
    rootUrl: played.rootUrl, credentials: { clientId: 'tester', accessToken: 'token-123456' }, concurrency: 1,
    reporters: [], redactor: new Redactor(), toolVersion: 'test', pulse,
  });
  return run.checks[0]!;
}

const waitStep = (result: CheckResult) => result.steps.find((step) => WAIT_STEP.test(step.name))!;
const onlyTask = (played: PlayedQueue) => [...played.tasks.keys()][0]!;

/** `<exchange>\t<routing key>` of each binding to a task-event queue. */
async function bindingDetails(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', ['-q', 'list_bindings', '-p', VHOST, 'source_name', 'destination_name', 'routing_key', '--no-table-headers']);
  return stdout.split('\n').filter((line) => line.includes('/task-events/')).map((line) => {
    const [exchange, , key] = line.split('\t');
    return `${exchange}\t${key}`;
  });
}

const bindingKeys = async () => (await bindingDetails()).map((line) => line.split('\t')[1]!);

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('waits woken by task events', () => {
  let pulse: PulseConnection;
  let connectionName: string;
  let played: PlayedQueue | undefined;

  beforeAll(() => nock.enableNetConnect('127.0.0.1'));
  beforeEach(() => {
    ({ pulse, name: connectionName } = canaryConnection(services.amqpUrl!, { namespace: 'canary' }));
  });
  afterEach(async () => {
    await played?.close();
    played = undefined;
    await pulse.close();
  });
  afterAll(() => nock.enableNetConnect());

  it('sees the resolution in its Pulse event: observe lag within tens of ms, a few status reads, no 10 s poll', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 300, resolveDelayMs: 50, amqpUrl: services.amqpAdminUrl! });
    const result = await runBuiltIn(played, pulse);

    expect(result.outcome, JSON.stringify(result.attempts)).toBe('passed');
    expect(waitStep(result).seenVia).toBe('pulse');
    expect(result.metrics.observe_lag_ms!.value).toBeLessThan(50);
    // Deployment latency (350 ms) plus what tc-canary added; a wait that slept to its 10 s safety poll would be far over.
    expect(result.metrics.e2e_ms!.value).toBeLessThan(350 + 200);
    // The wait's first read and one per event (running, completed): not one a second; the cleanup reads none,
    // since the wait saw the task resolved.
    expect(played.statusReads.get(onlyTask(played))).toBeLessThanOrEqual(3);
    expect(result.steps.find((step) => step.name.startsWith('cleanup: cancel task'))?.outcome).toBe('passed');
    expect(result.metrics.claim_latency_ms!.value).toBeGreaterThanOrEqual(300);
  });

  it('without Pulse polls every second and says so: observe lag within one poll interval', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 300, resolveDelayMs: 50 });
    const result = await runBuiltIn(played, undefined);

    expect(result.outcome).toBe('passed');
    expect(waitStep(result).seenVia).toBe('poll');
    expect(result.metrics.observe_lag_ms!.value).toBeLessThanOrEqual(1_000 + 50);
    expect(result.metrics.e2e_ms!.value).toBeGreaterThanOrEqual(1_000);
  });

  it('fails the claim SLA at its boundary while no task-running has come, not at the next safety poll', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 5_000, resolveDelayMs: 50, amqpUrl: services.amqpAdminUrl! });
    const result = await runBuiltIn(played, pulse, { claimSla: 400 });

    expect(result.outcome).toBe('failed');
    expect(result.attempts[0]!.error?.message).toMatch(/^claim SLA exceeded: pending after \d+ms \(limit 400ms\)$/);
    expect(waitStep(result).durationMs).toBeLessThan(400 + 300);
  });

  it('falls back to polling when the broker drops the connection mid-wait, and the check still passes', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 3_000, resolveDelayMs: 50, amqpUrl: services.amqpAdminUrl! });
    const running = runBuiltIn(played, pulse);
    // Once the task exists (its events are bound), the broker closes tc-canary's connection, as a restart would.
    while (played.tasks.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await closeConnectionFromBroker(connectionName, 'broker restart in test');
    const result = await running;

    expect(result.outcome, JSON.stringify(result.attempts)).toBe('passed');
    expect(waitStep(result).seenVia, JSON.stringify(result.log)).toBe('poll');
    expect(result.log.map((line) => line.message).join('\n')).toMatch(/task events from Pulse stopped \(.+\): polling the queue every second/);
    // Polled every second after the loss: seen within a poll interval of the queue's timestamp.
    expect(result.metrics.observe_lag_ms!.value).toBeLessThanOrEqual(1_000 + 50);
  });

  it('falls back to polling when the broker stops mid-wait, and the check still passes while it is down', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 3_000, resolveDelayMs: 50, amqpUrl: services.amqpAdminUrl! });
    const running = runBuiltIn(played, pulse);
    while (played.tasks.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await stopBroker();
    try {
      const result = await running;
      expect(result.outcome, JSON.stringify(result.attempts)).toBe('passed');
      expect(result.attempts).toHaveLength(1);
      expect(waitStep(result).seenVia, JSON.stringify(result.log)).toBe('poll');
      expect(result.log.map((line) => line.message).join('\n')).toMatch(/task events from Pulse stopped \(.+\): polling the queue every second/);
      // The queue's messages of the claim and the resolution had nowhere to go: only polling could see them.
      expect(played.unpublished.map((line) => line.split(' ')[0])).toEqual(['running', 'completed']);
      expect(result.metrics.observe_lag_ms!.value).toBeLessThanOrEqual(1_000 + 50);
    } finally {
      await startBroker();
    }
  }, 120_000);

  it('has bound the task on the task exchanges when createTask reaches the queue', async () => {
    const boundAtCreate: string[][] = [];
    played = await PlayedQueue.start({ claimDelayMs: 50, resolveDelayMs: 20, amqpUrl: services.amqpAdminUrl!, onCreate: async () => { boundAtCreate.push(await bindingDetails()); } });
    const result = await runBuiltIn(played, pulse);

    expect(result.outcome).toBe('passed');
    const taskId = onlyTask(played);
    expect(boundAtCreate[0]!.filter((line) => line.endsWith(`*.${taskId}.#`)).map((line) => line.split('\t')[0]).sort()).toEqual(
      ['completed', 'exception', 'failed', 'pending', 'running'].map((state) => `exchange/taskcluster-queue/v1/task-${state}`));
  });

  it('binds a task on one shared queue before it exists, wakes on the recorded message shape, and unbinds on release', async () => {
    const taskcluster = await FakeTaskclusterPulse.connect(services.amqpAdminUrl!);
    try {
      const first = (await pulse.watchTask('taskOneAAAAAAAAAAAAAAA'))!;
      const second = (await pulse.watchTask('taskTwoBBBBBBBBBBBBBBB'))!;
      expect((await queueNames()).filter((name) => name.startsWith('queue/canary/tc-canary/task-events/'))).toHaveLength(1);
      expect(await bindingKeys()).toEqual(expect.arrayContaining(['*.taskOneAAAAAAAAAAAAAAA.#', '*.taskTwoBBBBBBBBBBBBBBB.#']));

      // The message as the v74 queue publishes it (recorded routing key layout and body).
      await taskcluster.taskEvent('task-running', { taskId: 'taskOneAAAAAAAAAAAAAAA', routes: [] });
      const event = await first.next(2_000, AbortSignal.timeout(5_000));
      expect(event?.state).toBe('running');
      expect(await second.next(100, AbortSignal.timeout(5_000))).toBeUndefined();

      first.release();
      await expect.poll(bindingKeys, { timeout: 15_000, interval: 200 }).not.toContain('*.taskOneAAAAAAAAAAAAAAA.#');
      expect(await bindingKeys()).toContain('*.taskTwoBBBBBBBBBBBBBBB.#');
    } finally {
      await taskcluster.close();
    }
  });

  it('binds a task in one round trip to a broker a network away, not one per exchange', async () => {
    const roundTripMs = 200;
    const far = await startDistantBroker(services.amqpUrl!, { delayMs: roundTripMs, newConnectionDelayMs: 0 });
    const distant = canaryConnection(far.url, { namespace: 'canary' }).pulse;
    try {
      const first = (await distant.watchTask('taskFarOneAAAAAAAAAAAA'))!; // opens the queue
      const startedMs = performance.now();
      const watch = await distant.watchTask('taskFarTwoBBBBBBBBBBBB');
      const tookMs = performance.now() - startedMs;

      expect(watch?.live).toBe(true);
      expect((await bindingDetails()).filter((line) => line.endsWith('*.taskFarTwoBBBBBBBBBBBB.#'))).toHaveLength(5);
      // Five bindings one after another on one channel took five round trips (1 s here).
      expect(tookMs).toBeGreaterThanOrEqual(roundTripMs * 0.9);
      expect(tookMs).toBeLessThan(roundTripMs * 2);
      first.release();
      watch!.release();
    } finally {
      await distant.close();
      await far.close();
    }
  });

  it('plays the queue in v74 shapes: the status and the message match the recorded ones field for field', async () => {
    played = await PlayedQueue.start({ claimDelayMs: 50, resolveDelayMs: 20, amqpUrl: services.amqpAdminUrl! });
    const subscription = await pulse.subscribe({ check: 'played-shape', nonce: 'n1', bindings: [{ exchange: 'exchange/taskcluster-queue/v1/task-running', routingKeyPattern: '#' }] });
    try {
      await runBuiltIn(played, undefined);
      const message = await subscription.next(() => true, { description: 'task-running', timeoutMs: 5_000 });
      const recorded = fixture('pulse-queue-task-running.json');
      const recordedMessage = Array.isArray(recorded) ? recorded[0] : recorded;
      expect(message.routingKey.split('.')).toHaveLength(recordedMessage.routingKey.split('.').length);
      expect(Object.keys(message.body as object).sort()).toEqual(Object.keys(recordedMessage.body).sort());
      const { status } = fixture('task-succeed-status.json');
      expect(Object.keys(played.status(onlyTask(played))).sort()).toEqual(Object.keys(status).sort());
    } finally {
      await subscription.close();
    }
  });
});
