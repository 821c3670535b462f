// An alert that fires within the first hour after the deployment's version changed says so, from the versions
// the history recorded: "started 12 min after 74.0.1".

import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createAlertEngine } from '../../src/alerts/setup.js';
import { lastVersionChange, versionChangeNote } from '../../src/alerts/version-change.js';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { Redactor } from '../../src/redact.js';
import { HOUR, MINUTE, T0, checkResult, manualClock, runMeta, type ResultSpec } from '../history/results.js';
import { CREDENTIALS, ROOT_URL, alertsConfig, mockNotify } from './support.js';

let dir: string;
let history: HistoryStore;
const clock = manualClock(T0);

beforeEach(async () => {
  nock.disableNetConnect();
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-alert-version-'));
  history = await openHistory(`sqlite:${path.join(dir, 'history.db')}`, { clock });
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await history.close();
  rmSync(dir, { recursive: true, force: true });
});

async function record(version: string | null, spec: ResultSpec) {
  const runId = `run-${spec.at}`;
  await history.beginRun({ ...runMeta(runId, spec.at), deploymentVersion: version });
  const result = checkResult(spec);
  await history.recordCheck(runId, result);
  return result;
}

test('the newest version change is the first run of a version after another one', async () => {
  expect(await lastVersionChange(history, T0)).toBeUndefined();
  await record('74.0.0', { id: 'ping.queue', outcome: 'passed', at: T0 });
  // The first version seen is no change.
  expect(await lastVersionChange(history, T0 + HOUR)).toBeUndefined();
  await record('74.0.1+build.2', { id: 'ping.queue', outcome: 'passed', at: T0 + HOUR });
  expect(await lastVersionChange(history, T0 + 2 * HOUR)).toEqual({ version: '74.0.1', atMs: T0 + HOUR });
  expect(await lastVersionChange(history, T0 + HOUR - 1)).toBeUndefined();
});

test('the note is said from the change up to an hour after it, never before it', () => {
  const change = { version: '74.0.1', atMs: T0 };
  expect(versionChangeNote(change, T0 + 12 * MINUTE + 30_000)).toBe('started 12 min after 74.0.1');
  expect(versionChangeNote(change, T0)).toBe('started 0 min after 74.0.1');
  expect(versionChangeNote(change, T0 + HOUR)).toBeUndefined();
  expect(versionChangeNote(change, T0 - MINUTE)).toBeUndefined();
  expect(versionChangeNote(undefined, T0)).toBeUndefined();
});

test('an alert firing 12 minutes after a release names it; one long after it does not', async () => {
  const calls = mockNotify();
  const engine = await createAlertEngine({
    alerts: alertsConfig(), rootUrl: ROOT_URL, credentials: CREDENTIALS, env: {}, redactor: new Redactor(), source: 'test config',
    database: history.database, history, clock, retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 }, log: () => undefined,
  });
  await record('74.0.0', { id: 'ping.queue', outcome: 'passed', at: T0 - HOUR });
  await record('74.0.1', { id: 'ping.auth', outcome: 'passed', at: T0 });
  for (const at of [T0 + 12 * MINUTE, T0 + 17 * MINUTE]) {
    clock.set(at);
    await engine.onResult(await record('74.0.1', { id: 'ping.queue', outcome: 'failed', at }));
  }
  await engine.idle();
  expect(calls).toHaveLength(1);
  expect(calls[0]!.body.body).toContain(`ping.queue is failing on tc.example.test: 2 failed results in a row since ${new Date(T0 + 12 * MINUTE).toISOString()} (started 12 min after 74.0.1).`);

  for (const at of [T0 + 2 * HOUR, T0 + 2 * HOUR + 5 * MINUTE]) {
    clock.set(at);
    await engine.onResult(await record('74.0.1', { id: 'ping.auth', outcome: 'failed', at }));
  }
  await engine.idle();
  expect(calls).toHaveLength(2);
  expect(calls[1]!.body.body).toMatch(/ping\.auth is failing on tc\.example\.test: 2 failed results in a row since \S+Z\.\n/);
});
