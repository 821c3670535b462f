import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workerManagerScanner } from '../../checks/worker-manager-scanner.js';
import {
  CLOUD_POOL, CLOUD_PROVIDER, STATIC_POOL, mockProviders, mockWorkerPool, mockWorkers, poolConfig, runPoolChecks, worker,
} from './deployment.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const HOUR = 3_600_000;
const scannerCheck = (...pools: Parameters<typeof poolConfig>[0][]) => workerManagerScanner({ services: [], pools: pools.map((p) => poolConfig(p)) })[0]!;

describe('worker-manager.scanner', () => {
  it('fails when the stalest lastChecked among running cloud workers is older than scannerMaxAge', async () => {
    mockProviders();
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockWorkers(CLOUD_POOL, 'running', [
      worker(CLOUD_POOL, CLOUD_PROVIDER, 'fresh', 30_000),
      worker(CLOUD_POOL, CLOUD_PROVIDER, 'stale', 3 * HOUR + 5 * 60_000),
    ]);
    const [result] = await runPoolChecks([scannerCheck({ scannerMaxAge: 2 * HOUR })]);
    expect(result!.outcome).toBe('failed');
    // Measured against the clock when the check asks, a moment after the mock was made: 11100 s, or 11101 on a slow machine.
    expect(result!.metrics.scanner_age_s).toEqual({ value: expect.toSatisfy((age: number) => age === 11_100 || age === 11_101), unit: 's', limit: 7200, ok: false });
    expect(result!.error!.message).toBe(`the worker scanner last checked worker tc-local/stale of ${CLOUD_POOL} 3h 5m ago (limit 2h)`);
  });

  it('passes when every running cloud worker was checked recently, leaving the static pool out', async () => {
    mockProviders();
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockWorkerPool(STATIC_POOL, 'static');
    mockWorkers(CLOUD_POOL, 'running', [worker(CLOUD_POOL, CLOUD_PROVIDER, 'w1', 45_000)]);
    // A static worker is never visited by the scanner: its old lastChecked must not count.
    const staticWorkers = mockWorkers(STATIC_POOL, 'running', [worker(STATIC_POOL, 'static', 'static-worker-1', 30 * HOUR)]);
    const [result] = await runPoolChecks([scannerCheck({}, { taskQueueId: STATIC_POOL })]);
    expect(result!.outcome).toBe('passed');
    expect(result!.metrics.scanner_age_s).toEqual({ value: 45, unit: 's', limit: 7200, ok: true });
    expect(staticWorkers.isDone()).toBe(false);
  });

  it('is skipped when only static pools are configured, saying why', async () => {
    mockProviders();
    mockWorkerPool(STATIC_POOL, 'static');
    const [result] = await runPoolChecks([scannerCheck({ taskQueueId: STATIC_POOL })]);
    expect(result!.outcome).toBe('skipped');
    expect(result!.skipReason).toBe(`no configured pool is on a cloud provider (${STATIC_POOL}: provider static is static)`);
  });

  it('is skipped when the cloud pools have no running worker', async () => {
    mockProviders();
    mockWorkerPool(CLOUD_POOL, CLOUD_PROVIDER);
    mockWorkers(CLOUD_POOL, 'running', []);
    const [result] = await runPoolChecks([scannerCheck({})]);
    expect(result!.outcome).toBe('skipped');
    expect(result!.skipReason).toBe(`no running workers on the cloud pools ${CLOUD_POOL}`);
  });

  it('leaves out task queues that worker-manager does not manage', async () => {
    mockProviders();
    mockWorkerPool('built-in/succeed', 404);
    const [result] = await runPoolChecks([scannerCheck({ taskQueueId: 'built-in/succeed', implementation: 'none' })]);
    expect(result!.outcome).toBe('skipped');
    expect(result!.skipReason).toBe('no configured pool is on a cloud provider (built-in/succeed: not a worker-manager pool)');
  });
});
