// The work strike across runs, as users get it: the built CLI run three times in one folder with its default SQLite
// history, and the service's scheduled runs; the third verdict comes from the samples the first two recorded.

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
/** Every run watches the pool twice, 10 ms apart: enough to see a strike within the run. */
const WITHIN_RUN = { strikeSamples: 2, strikeInterval: 10 };

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

/** When the check's only recorded result started: the moment its sample is dated. */
async function sampledAt(historyFile: string): Promise<number> {
  const store = await openHistory(`sqlite:${historyFile}`);
  try {
    const [result] = await store.results({ since: 0 });
    return Date.parse(result!.startedAt);
  } finally {
    await store.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const statsRequests = () => deployment.requests.filter((request) => request.path.endsWith(`${encoded}/stats`)).length;

describe('work strike across runs', () => {
  it('tc-canary run: judged within each run until the runs in its default history span strikeAfter, then across them', async () => {
    const dir = projectDir([
      `pools: [{taskQueueId: ${POOL}, implementation: generic-worker}]`,
      'checks:',
      `  include: ['${CHECK_ID}']`,
      `  params: {'${CHECK_ID}': {strikeAfter: 5s, strikeSamples: 2, strikeInterval: 10ms}}`,
    ].join('\n') + '\n');
    try {
      const args = ['run', '--root-url', deployment.rootUrl];
      const first = await runCli(args, { cwd: dir });
      const firstSampled = await sampledAt(path.join(dir, 'tc-canary.db'));
      // Spaced so that the third run can come when the first is older than strikeAfter and the second is not.
      await sleep(2000);
      const second = await runCli(args, { cwd: dir });
      // The second run comes well within strikeAfter of the first, so it cannot judge across runs yet.
      for (const run of [first, second]) {
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/work strike on proj-canary\/linux: 5 tasks pending .* \(2 samples\)/);
      }
      await sleep(firstSampled + 5000 + 300 - Date.now());
      const third = await runCli(args, { cwd: dir });
      expect(third.code).toBe(1);
      const verdict = /work strike on proj-canary\/linux: 5 tasks pending .* over (\d+(?:\.\d)?)s \(4 samples across runs\)/.exec(third.stdout);
      expect(verdict, third.stdout).not.toBeNull();
      expect(Number(verdict![1])).toBeGreaterThanOrEqual(5);
      // Each run watched the pool itself too.
      expect(statsRequests()).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('tc-canary serve: scheduled runs read the earlier ones from the service\'s history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-strike-serve-'));
    const [check] = poolProvisioning({ services: [], pools: [{ taskQueueId: POOL, implementation: 'generic-worker', ...POOL_DEFAULTS }] });
    const historySpec = `sqlite:${path.join(dir, 'history.db')}`;
    // Runs every second, so the history keeps up with a window of 1.5 s.
    const service = await startService({
      checks: [{ check: check!, params: { ...WITHIN_RUN, strikeAfter: 1500 }, cron: '* * * * * *' }],
      rootUrl: deployment.rootUrl, credentials: undefined, redactor: new Redactor(), concurrency: 2,
      historySpec, listen: { host: '127.0.0.1', port: 0 }, log: () => undefined, startupSpreadCapMs: 1,
    });
    const store = await openHistory(historySpec);
    try {
      const messages = async () => (await store.results({ since: 0 })).map((result) => result.error?.message ?? '');
      const deadline = Date.now() + 20_000;
      while (!(await messages()).some((message) => / \(\d+ samples across runs\)$/.test(message)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const seen = await messages();
      expect(seen.some((message) => / \(\d+ samples across runs\)$/.test(message))).toBe(true);
      // The first runs, before the history spanned the window, judged within themselves.
      expect(seen.some((message) => message.endsWith('(2 samples)'))).toBe(true);
    } finally {
      await service.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
