import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/result.js';
import { checkResultMessage, PulseResultPublisher } from '../../src/pulse/check-result.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { PulseError } from '../../src/pulse/errors.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, nonce } from './broker.js';

function result(id: string, outcome: CheckResult['outcome']): CheckResult {
  const failed = outcome === 'failed';
  return {
    id,
    description: `the ${id} check`,
    tags: ['queue'],
    outcome,
    startedAt: '2026-11-29T11:32:31.000Z',
    durationMs: 1520,
    attempts: [{ attempt: 1, outcome: failed ? 'failed' : 'passed', startedAt: '2026-11-29T11:32:31.000Z', durationMs: 1520, steps: [] }],
    steps: [],
    metrics: { claim_latency_ms: { value: 900, unit: 'ms', limit: 60_000, ok: true } },
    resources: [{ type: 'task', id: 'Nvx5e65rQ32ySmVAmDNoQA' }],
    log: [{ offsetMs: 3, message: 'not published' }],
    ...(failed ? { error: { kind: 'assertion' as const, message: 'expected completed, got failed', step: 'wait' } } : {}),
  };
}

const run = { runId: 'run-1', rootUrl: 'https://tc.example.com' };

describe('checkResultMessage', () => {
  it('routes by check id and outcome and carries the documented body', () => {
    expect(checkResultMessage(result('queue.built-in-succeed', 'failed'), run)).toEqual({
      routingKey: 'primary.queue.built-in-succeed.failed',
      body: {
        version: 1,
        runId: 'run-1',
        rootUrl: 'https://tc.example.com',
        check: { id: 'queue.built-in-succeed', description: 'the queue.built-in-succeed check', tags: ['queue'] },
        outcome: 'failed',
        startedAt: '2026-11-29T11:32:31.000Z',
        durationMs: 1520,
        attempts: 1,
        metrics: { claim_latency_ms: { value: 900, unit: 'ms', limit: 60_000, ok: true } },
        resources: [{ type: 'task', id: 'Nvx5e65rQ32ySmVAmDNoQA' }],
        error: { kind: 'assertion', message: 'expected completed, got failed', step: 'wait' },
      },
    });
  });
});

describe.skipIf(missingService('amqpUrl'))('PulseResultPublisher on a real broker', () => {
  const opened: PulseConnection[] = [];
  const connect = (namespace?: string) => {
    const { pulse } = canaryConnection(services.amqpUrl!, namespace ? { namespace } : {});
    opened.push(pulse);
    return pulse;
  };
  let pulse: PulseConnection;
  beforeAll(() => {
    pulse = connect();
  });
  afterAll(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
  });

  it('publishes each finished check to the namespace\'s check-result exchange, where a subscriber can select failures', async () => {
    const publisher = new PulseResultPublisher(pulse, (error) => { throw error; });
    publisher.onRunStart({ ...run, startedAt: '2026-11-29T11:32:30.000Z', checks: [] });
    // The exchange must exist before anyone can bind to it; the first publish declares it.
    await publisher.onCheckEnd(result('ping.queue', 'passed'));

    const sub = await pulse.subscribe({ check: 'results', nonce: nonce(), bindings: [{ exchange: 'exchange/canary/tc-canary/v1/check-result', routingKeyPattern: 'primary.#.failed' }] });
    await publisher.onCheckEnd(result('ping.auth', 'passed'));
    await publisher.onCheckEnd(result('ping.queue', 'failed'));

    const message = await sub.next(() => true, { timeoutMs: 5000, description: 'the failed result' });
    expect(message.routingKey).toBe('primary.ping.queue.failed');
    expect(message.body).toEqual(checkResultMessage(result('ping.queue', 'failed'), run).body);
    await expect(sub.next(() => true, { timeoutMs: 200, description: 'another result' })).rejects.toThrow('another result did not arrive');
    await sub.close();
  });

  it('hands a refused publish to onError instead of failing the run', async () => {
    const errors: [unknown, string][] = [];
    const publisher = new PulseResultPublisher(connect('someone-else'), (error, checkId) => errors.push([error, checkId]));
    publisher.onRunStart({ ...run, startedAt: '2026-11-29T11:32:30.000Z', checks: [] });
    await expect(publisher.onCheckEnd(result('ping.queue', 'passed'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]![1]).toBe('ping.queue');
    expect(errors[0]![0]).toBeInstanceOf(PulseError);
    expect((errors[0]![0] as Error).message).toContain('Pulse refused to declare exchange "exchange/someone-else/tc-canary/v1/check-result"');
  });
});
