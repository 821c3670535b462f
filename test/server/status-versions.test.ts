// /status.json and the deployment's versions: the report says the version the newest result saw, and each
// check the version its current health began on, so that a check that broke with a release shows it.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open.js';
import type { HistoryStore } from '../../src/history/store.js';
import { checkStatus, statusReport, type StatusSource } from '../../src/server/status-report.js';
import { MINUTE, T0, checkResult, runMeta, type ResultSpec } from '../history/results.js';

const NOW = T0 + 60 * MINUTE;
const schema = JSON.parse(readFileSync(new URL('../../docs/status.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

let dir: string;
let store: HistoryStore;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-status-versions-'));
  store = await openHistory(`sqlite:${path.join(dir, 'history.db')}`, { clock: { now: () => NOW } });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function record(version: string | null, spec: ResultSpec): Promise<void> {
  const runId = `run-${spec.id}-${spec.at}`;
  await store.beginRun({ ...runMeta(runId, spec.at), deploymentVersion: version });
  await store.recordCheck(runId, checkResult(spec));
}

const source = (): StatusSource => ({
  rootUrl: 'https://tc.example.com', store, clock: { now: () => NOW },
  checks: ['ping.queue', 'ping.auth', 'ping.index'].map((id) => ({ id, description: id, tags: [], schedule: '*/5 * * * *', nextRun: () => null })),
});

test('the report names the newest version seen and each check the version its current health began on', async () => {
  await record('74.0.0', { id: 'ping.queue', outcome: 'passed', at: T0 });
  await record('74.0.0', { id: 'ping.auth', outcome: 'passed', at: T0 });
  await record('74.0.1', { id: 'ping.queue', outcome: 'failed', at: T0 + 10 * MINUTE });
  await record('74.0.1', { id: 'ping.auth', outcome: 'passed', at: T0 + 10 * MINUTE });
  await record('74.0.1', { id: 'ping.queue', outcome: 'failed', at: T0 + 20 * MINUTE });

  const report = await statusReport(source());
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(report.deployment).toEqual({ version: '74.0.1' });
  const byId = new Map(report.checks.map((check) => [check.id, check]));
  // Broke with the release: down since its first result on 74.0.1.
  expect(byId.get('ping.queue')).toMatchObject({ health: 'down', since: new Date(T0 + 10 * MINUTE).toISOString(), sinceVersion: '74.0.1' });
  // Up across the release: up since 74.0.0.
  expect(byId.get('ping.auth')).toMatchObject({ health: 'up', since: new Date(T0).toISOString(), sinceVersion: '74.0.0' });
  expect(byId.get('ping.index')).toMatchObject({ health: 'unknown', sinceVersion: null });
  expect(await checkStatus(source(), 'ping.queue')).toMatchObject({ sinceVersion: '74.0.1' });
});

test('without any result, or when the newest run named no version, the deployment version is null', async () => {
  expect((await statusReport(source())).deployment).toEqual({ version: null });
  await record('74.0.0', { id: 'ping.queue', outcome: 'passed', at: T0 });
  await record(null, { id: 'ping.auth', outcome: 'failed', at: T0 + MINUTE });
  const report = await statusReport(source());
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(report.deployment).toEqual({ version: null });
  expect(report.checks.find((check) => check.id === 'ping.auth')).toMatchObject({ sinceVersion: null });
});
