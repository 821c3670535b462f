// The status report over a real SQLite history, with maintenance windows: a check inside one now succeeds
// (nobody is paged for planned work) while its health and outcome stay as recorded, the summary counts it,
// and uptimes count results recorded inside windows apart. Every report is valid against the schema.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceInfo } from '../../src/check/result.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { checkStatus, statusReport, type StatusSource } from '../../src/server/status-report.js';
import { MAINTENANCE, MINUTE, T0, checkResult, runMeta, type ResultSpec } from '../history/results.js';

const NOW = T0 + 10 * MINUTE;
const schema = JSON.parse(readFileSync(new URL('../../docs/status.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

let dir: string;
let store: HistoryStore;

async function record(runId: string, spec: ResultSpec): Promise<void> {
  await store.beginRun(runMeta(runId, spec.at));
  await store.recordCheck(runId, checkResult(spec));
  await store.finishRun(runId, { finishedAt: new Date(spec.at + 1000).toISOString(), outcome: 'passed', summary: { passed: 1, flaky: 0, failed: 0, error: 0, skipped: 0 } });
}

function source(inMaintenance: readonly string[]): StatusSource {
  const info = (id: string) => ({
    id, description: `checks ${id}`, tags: ['test'], schedule: '*/5 * * * *', nextRun: () => new Date(NOW + MINUTE),
    ...(id === 'ping.auth' ? { watches: { service: 'queue', process: 'deadlineResolver' } } : {}),
  });
  return {
    rootUrl: 'https://tc.example.com',
    store,
    clock: { now: () => NOW },
    checks: ['ping.queue', 'ping.auth', 'ping.index'].map(info),
    maintenance: (checkId, at): MaintenanceInfo | undefined => (inMaintenance.includes(checkId) && at === NOW ? MAINTENANCE : undefined),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-status-'));
  store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`, { clock: { now: () => NOW } });
  await record('run-1', { id: 'ping.queue', outcome: 'passed', at: T0 });
  await record('run-2', { id: 'ping.queue', outcome: 'failed', at: T0 + MINUTE, maintenance: MAINTENANCE });
  await record('run-3', { id: 'ping.queue', outcome: 'error', at: T0 + 2 * MINUTE, maintenance: MAINTENANCE });
  await record('run-4', { id: 'ping.auth', outcome: 'failed', at: T0 + 3 * MINUTE });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('status report with maintenance windows', () => {
  it('a check in maintenance now succeeds, keeps its recorded health, and names the window; the others are judged as usual', async () => {
    const report = await statusReport(source(['ping.queue', 'ping.index']));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ status: 'failing', success: false, summary: { checks: 3, up: 0, down: 2, skipped: 0, unknown: 1, maintenance: 2 } });
    const byId = new Map(report.checks.map((check) => [check.id, check]));
    expect(byId.get('ping.queue')).toMatchObject({
      maintenance: MAINTENANCE, success: true, health: 'down', outcome: 'error', lastError: { message: 'expected 200, got 500' },
      uptime: { '24h': { up: 1, counted: 1, ratio: 1, inMaintenance: 2 }, '7d': { up: 1, counted: 1, ratio: 1, inMaintenance: 2 } },
    });
    // No result yet, but in maintenance: nothing to page for.
    expect(byId.get('ping.index')).toMatchObject({ maintenance: MAINTENANCE, success: true, health: 'unknown', outcome: null });
    expect(byId.get('ping.auth')).toMatchObject({ maintenance: null, success: false, health: 'down', uptime: { '24h': { up: 0, counted: 1, inMaintenance: 0 } } });
    // What a check declares it watches is there to group by; a check that declares nothing has no such field.
    expect(byId.get('ping.auth')!.watches).toEqual({ service: 'queue', process: 'deadlineResolver' });
    expect(byId.get('ping.queue')).not.toHaveProperty('watches');
  });

  it('is ok when every failing check is in maintenance', async () => {
    const report = await statusReport(source(['ping.queue', 'ping.auth', 'ping.index']));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ status: 'ok', success: true, summary: { down: 2, maintenance: 3 } });
  });

  it('outside any window, a check is judged by its latest result (the windows it recorded only change its uptime)', async () => {
    const status = await checkStatus(source([]), 'ping.queue');
    expect(status).toMatchObject({ maintenance: null, success: false, health: 'down' });
  });

  it('one check\'s status reads only that check\'s rows from the history', async () => {
    const asked: unknown[] = [];
    const narrowed: StatusSource = {
      ...source([]),
      store: {
        latestResults: (ids) => (asked.push(ids), store.latestResults(ids)),
        uptimes: (since, ids) => (asked.push(ids), store.uptimes(since, ids)),
      },
    };
    expect(await checkStatus(narrowed, 'ping.auth')).toMatchObject({ id: 'ping.auth', health: 'down', uptime: { '24h': { up: 0, counted: 1 } } });
    expect(asked).toEqual([['ping.auth'], ['ping.auth'], ['ping.auth']]);
  });
});
