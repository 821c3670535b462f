// The work strike across runs, as users get it: the built CLI run twice in one folder with its default SQLite
// history, and the service's scheduled runs; the second verdict comes from the first run's recorded sample.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolProvisioning } from '../../checks/pool-provisioning.js';
import { POOL_DEFAULTS } from '../../src/config/parse.js';
import { openHistory } from '../../src/history/open.js';
import { Redactor } from '../../src/redact.js';
import { startService } from '../../src/server/service.js';
import { fixture } from '../support/deployment.js';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli } from '../support/cli-process.js';

const POOL = 'proj-canary/linux';
const CHECK_ID = `pool.${POOL}.provisioning`;
const encoded = encodeURIComponent(POOL);
/** A strike window of a second, so that a run a second later judges across runs. */
const PARAMS = { strikeAfter: 1000, strikeSamples: 2, strikeInterval: 10 };

let deployment: FakeDeployment;
beforeEach(async () => {
  deployment = await FakeDeployment.start();
  // A worker-manager pool with work pending and no capacity at all: on strike.
  deployment.set('/api/auth/v1/scopes/current', { status: 200, body: { scopes: ['*'] } });
  deployment.set(`/api/worker-manager/v1/worker-pool/${encoded}`, { status: 200, body: { ...fixture('wm-workerPool.json'), workerPoolId: POOL, providerId: 'community-gcp' } });
  deployment.set(`/api/worker-manager/v1/worker-pool-errors/${encoded}`, { status: 200, body: { workerPoolErrors: [] } });
  deployment.set(`/api/queue/v1/task-queues/${encoded}/counts`, { status: 200, body: { taskQueueId: POOL, pendingTasks: 5, claimedTasks: 0 } });
  deployment.set(`/api/worker-manager/v1/worker-pool/${encoded}/stats`, {
    status: 200, body: { launchConfigStats: [{ workerPoolId: POOL, launchConfigId: 'lc-1', requestedCapacity: 0, runningCapacity: 0 }] },
  });
});
afterEach(async () => { await deployment.close(); });

const statsRequests = () => deployment.requests.filter((request) => request.path.endsWith(`${encoded}/stats`)).length;

describe('work strike across runs', () => {
  it('tc-canary run: the first run samples the pool itself, the next one judges from the history and samples once', async () => {
    const dir = projectDir([
      `pools: [{taskQueueId: ${POOL}, implementation: generic-worker}]`,
      'checks:',
      `  include: ['${CHECK_ID}']`,
      `  params: {'${CHECK_ID}': {strikeAfter: 1s, strikeSamples: 2, strikeInterval: 10ms}}`,
    ].join('\n') + '\n');
    try {
      const args = ['run', '--root-url', deployment.rootUrl];
      const first = await runCli(args, { cwd: dir });
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/work strike on proj-canary\/linux: 5 tasks pending .* \(2 samples\)/);
      expect(statsRequests()).toBe(2);

      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await runCli(args, { cwd: dir });
      expect(second.code).toBe(1);
      expect(second.stdout).toMatch(/work strike on proj-canary\/linux: 5 tasks pending .* \(2 samples across runs\)/);
      expect(statsRequests()).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('tc-canary serve: scheduled runs read the earlier ones from the service\'s history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-strike-serve-'));
    const [check] = poolProvisioning({ services: [], pools: [{ taskQueueId: POOL, implementation: 'generic-worker', ...POOL_DEFAULTS }] });
    const historySpec = `sqlite:${path.join(dir, 'history.db')}`;
    const service = await startService({
      checks: [{ check: check!, params: PARAMS, cron: '* * * * * *' }],
      rootUrl: deployment.rootUrl, credentials: undefined, redactor: new Redactor(), concurrency: 2,
      historySpec, listen: { host: '127.0.0.1', port: 0 }, log: () => undefined, startupSpreadCapMs: 1,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 3500));
    } finally {
      await service.stop();
    }
    const store = await openHistory(historySpec);
    try {
      const messages = (await store.results({ since: 0 })).map((result) => result.error?.message ?? '');
      expect(messages.length).toBeGreaterThanOrEqual(3);
      expect(messages.some((message) => message.endsWith('(2 samples)'))).toBe(true);
      expect(messages.some((message) => / \(\d+ samples across runs\)$/.test(message))).toBe(true);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
