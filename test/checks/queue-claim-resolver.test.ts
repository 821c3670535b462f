import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueClaimResolver } from '../../checks/queue-claim-resolver.js';
import type { CheckResult } from '../../src/check/result.js';
import { earlierResultsFrom } from '../../src/history/earlier-results.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { runMeta } from '../history/results.js';
import { ROOT_URL, fixture } from '../support/deployment.js';
import { fakeQueue, FAST_POLL, JSON_HEADERS, recordedStatus, runOne, type CreatedTask, type FakeQueue } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const RUN_TOKEN = 'claimed-run-temporary-access-token';

/** claimWork on the probe queue hands out the newest created task, claimed until `takenUntil(task)`, as v74 answers. */
function fakeClaimWork(queue: FakeQueue, takenUntil: Map<string, number>, claimFor: (task: CreatedTask) => number): { claims: number } {
  const seen = { claims: 0 };
  nock(ROOT_URL).persist().post('/api/queue/v1/claim-work/tc-canary%2Fclaim-probe').reply((_uri, body) => {
    seen.claims += 1;
    const task = queue.created.at(-1)!;
    const until = claimFor(task);
    takenUntil.set(task.taskId, until);
    const recorded = fixture('queue-claimWork-response.json').tasks[0];
    const claimed = {
      ...recorded,
      status: recordedStatus('queue-status-claimed.json', task, { takenUntil: new Date(until).toISOString() }).status,
      takenUntil: new Date(until).toISOString(),
      workerGroup: (body as { workerGroup: string }).workerGroup,
      workerId: (body as { workerId: string }).workerId,
      credentials: { ...recorded.credentials, accessToken: RUN_TOKEN, certificate: `{"version":1,"seed":"${RUN_TOKEN}-seed"}` },
    };
    return [200, { tasks: [claimed] }, JSON_HEADERS];
  });
  return seen;
}

/** Running until the claim resolver acts `lagMs` after takenUntil (never, when lagMs is undefined). */
const expiresAfter = (takenUntil: Map<string, number>, lagMs: number | undefined) => (task: CreatedTask) => {
  const until = takenUntil.get(task.taskId);
  if (until === undefined) return recordedStatus('queue-status-deadline-exceeded.json', task, { state: 'pending', reasonResolved: undefined, resolved: undefined });
  if (lagMs === undefined || Date.now() < until + lagMs) return recordedStatus('queue-status-claimed.json', task, { takenUntil: new Date(until).toISOString() });
  return recordedStatus('queue-status-claimed.json', task, {
    state: 'exception', reasonResolved: 'claim-expired', takenUntil: new Date(until).toISOString(), resolved: new Date(until + lagMs).toISOString(),
  });
};

describe('queue.claim-resolver within one run', () => {
  it('claims its task as a worker, never reports it, and measures the claim resolver\'s lag after takenUntil', async () => {
    const takenUntil = new Map<string, number>();
    const queue = fakeQueue(expiresAfter(takenUntil, 120));
    const claims = fakeClaimWork(queue, takenUntil, () => Date.now() + 200);
    const result = await runOne(queueClaimResolver, FAST_POLL);
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    expect(claims.claims).toBe(1);
    expect(queue.created[0]!.definition).toMatchObject({ taskQueueId: 'tc-canary/claim-probe', retries: 0 });
    expect(result.metrics.claim_expiry_lag_ms).toEqual({ value: 120, unit: 'ms', limit: 120_000, ok: true });
    expect(queue.canceled).toEqual([]);
    // The claimed run's temporary credentials never reach the result.
    expect(JSON.stringify(result)).not.toContain(RUN_TOKEN);
  });

  it('fails at once when the run is still claimed past the limit, naming the claim resolver, and cancels the task', async () => {
    const takenUntil = new Map<string, number>();
    const queue = fakeQueue(expiresAfter(takenUntil, undefined));
    fakeClaimWork(queue, takenUntil, () => Date.now() + 100);
    const result = await runOne(queueClaimResolver, { ...FAST_POLL, claimExpirySla: 300 });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(new RegExp(`^claim resolver: task ${queue.created[0]!.taskId} still running \\d+ms after its claim expired \\(takenUntil\\) \\(limit 300ms\\)$`));
    expect(queue.canceled).toEqual([queue.created[0]!.taskId]);
  });

  it('without a history, says it checked only the claim when the expiry is past maxWait, and cancels the task', async () => {
    const takenUntil = new Map<string, number>();
    const queue = fakeQueue(expiresAfter(takenUntil, undefined));
    fakeClaimWork(queue, takenUntil, () => Date.now() + 20 * 60_000);
    const result = await runOne(queueClaimResolver, FAST_POLL);
    expect(result.outcome).toBe('passed');
    expect(result.log.map((line) => line.message)).toContainEqual('no history: only the claim was checked, not its expiry (a later run cannot verify it); the task is canceled');
    expect(queue.canceled).toEqual([queue.created[0]!.taskId]);
  });
});

describe('queue.claim-resolver across runs, with a real SQLite history', () => {
  let dir: string;
  let store: HistoryStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-claim-resolver-'));
    store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runAndRecord(params: Record<string, unknown>): Promise<CheckResult> {
    const result = await runOne(queueClaimResolver, { ...FAST_POLL, ...params }, { earlierResults: earlierResultsFrom(store) });
    const runId = `run-${Date.now()}-${Math.random()}`;
    await store.beginRun(runMeta(runId, Date.parse(result.startedAt)));
    await store.recordCheck(runId, result);
    return result;
  }

  it('leaves a long claim to expire, and a later run verifies the claim resolver resolved it', async () => {
    const takenUntil = new Map<string, number>();
    const queue = fakeQueue(expiresAfter(takenUntil, 90));
    fakeClaimWork(queue, takenUntil, () => Date.now() + 400);
    // maxWait below the claim: the first run leaves it for a later one.
    const first = await runAndRecord({ maxWait: 100, claimExpirySla: 200 });
    expect(first.outcome).toBe('passed');
    const left = queue.created[0]!.taskId;
    expect(first.resources).toContainEqual({ type: 'claim left to expire', id: left });
    expect(first.metrics.taken_until_ms!.value).toBe(takenUntil.get(left));
    expect(queue.canceled).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 700));
    const second = await runAndRecord({ maxWait: 100, claimExpirySla: 200 });
    expect(second.outcome).toBe('passed');
    expect(second.resources).toContainEqual({ type: 'expired claim verified', id: left });
    expect(second.metrics.claim_expiry_lag_ms).toEqual({ value: 90, unit: 'ms', limit: 200, ok: true });
    expect(second.log.map((line) => line.message)).toContainEqual(expect.stringMatching(new RegExp(`^task ${left}, claimed by an earlier run, was resolved claim-expired 90ms after its claim expired$`)));

    // A third run finds the claim verified already, and only the second run's own claim pending.
    const third = await runAndRecord({ maxWait: 100, claimExpirySla: 200 });
    expect(third.resources.filter((resource) => resource.id === left)).toEqual([]);
  });

  it('fails naming the task and how long it is overdue when an earlier run\'s claim was never resolved, then cancels it', async () => {
    const takenUntil = new Map<string, number>();
    const queue = fakeQueue(expiresAfter(takenUntil, undefined));
    fakeClaimWork(queue, takenUntil, () => Date.now() + 300);
    await runAndRecord({ maxWait: 100, claimExpirySla: 100 });
    const left = queue.created[0]!.taskId;
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = await runAndRecord({ maxWait: 100, claimExpirySla: 100 });
    expect(second.outcome).toBe('failed');
    expect(second.error!.message).toMatch(new RegExp(`^claim resolver: task ${left}, claimed by an earlier run, is still running \\d+ms after its claim expired \\(limit 100ms\\); canceled$`));
    expect(queue.canceled).toContain(left);
  });
});
