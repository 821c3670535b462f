// A realistic finished run with one check of every outcome, as the runner hands it to the reports.

import { summarize, type CheckResult, type RunResult, type StepResult } from '../../src/check/result.js';

export const ROOT_URL = 'https://tc.example.com';

// The final attempt's steps are also the check's steps; sampleRun() clones, so sharing them is safe.
const pingSteps: StepResult[] = [
  { name: 'ping', outcome: 'passed', offsetMs: 1, durationMs: 80 },
  { name: '__heartbeat__', outcome: 'passed', offsetMs: 82, durationMs: 40 },
];

const claimSteps: StepResult[] = [
  { name: 'create task', outcome: 'passed', offsetMs: 2, durationMs: 180 },
  { name: 'wait for claim', outcome: 'failed', offsetMs: 185, durationMs: 61_010, error: 'claim SLA exceeded: pending after 60 s' },
];

const passed: CheckResult = {
  id: 'ping.queue',
  description: 'queue answers ping, heartbeats and __version__',
  tags: ['ping'],
  outcome: 'passed',
  startedAt: '2025-03-04T02:59:00.120Z',
  durationMs: 123,
  attempts: [
    {
      attempt: 1,
      outcome: 'passed',
      startedAt: '2025-03-04T02:59:00.120Z',
      durationMs: 123,
      steps: pingSteps,
    },
  ],
  steps: pingSteps,
  metrics: { response_ms: { value: 80, unit: 'ms', limit: 2000, ok: true } },
  resources: [],
  log: [{ offsetMs: 81, message: 'ping answered alive: true' }],
};

const flaky: CheckResult = {
  id: 'ping.auth',
  description: 'auth answers ping, heartbeats and __version__',
  tags: ['ping'],
  outcome: 'flaky',
  startedAt: '2025-03-04T02:59:00.121Z',
  durationMs: 2310,
  attempts: [
    {
      attempt: 1,
      outcome: 'error',
      startedAt: '2025-03-04T02:59:00.121Z',
      durationMs: 210,
      error: {
        kind: 'transient',
        message: 'Service Unavailable',
        statusCode: 503,
        url: `${ROOT_URL}/api/auth/v1/ping`,
        step: 'ping',
      },
      steps: [{ name: 'ping', outcome: 'error', offsetMs: 0, durationMs: 209, error: 'Service Unavailable' }],
    },
    {
      attempt: 2,
      outcome: 'passed',
      startedAt: '2025-03-04T02:59:01.331Z',
      durationMs: 100,
      steps: [{ name: 'ping', outcome: 'passed', offsetMs: 0, durationMs: 95 }],
    },
  ],
  steps: [{ name: 'ping', outcome: 'passed', offsetMs: 0, durationMs: 95 }],
  metrics: { response_ms: { value: 95, unit: 'ms' } },
  resources: [],
  log: [],
};

const failed: CheckResult = {
  id: 'queue.built-in-succeed',
  description: 'a built-in/succeed task is claimed within the SLA and completes',
  tags: ['task'],
  watches: { service: 'built-in-workers', process: 'server' },
  outcome: 'failed',
  startedAt: '2025-03-04T02:59:00.300Z',
  durationMs: 61_200,
  attempts: [
    {
      attempt: 1,
      outcome: 'failed',
      startedAt: '2025-03-04T02:59:00.300Z',
      durationMs: 61_200,
      error: { kind: 'sla', message: 'claim SLA exceeded: pending after 60 s', step: 'wait for claim' },
      steps: claimSteps,
    },
  ],
  steps: claimSteps,
  metrics: {
    claim_latency_ms: { value: 75_000, unit: 'ms', limit: 60_000, ok: false },
    e2e_ms: { value: 61_190, unit: 'ms' },
  },
  resources: [{ type: 'task', id: 'fN0Hq3wTRg6bDz2VnBVqQA' }],
  log: [
    { offsetMs: 183, message: 'created task fN0Hq3wTRg6bDz2VnBVqQA on built-in/succeed' },
    { offsetMs: 61_196, message: 'canceled task fN0Hq3wTRg6bDz2VnBVqQA' },
  ],
  error: { kind: 'sla', message: 'claim SLA exceeded: pending after 60 s', step: 'wait for claim' },
};

const serverError = {
  kind: 'transient' as const,
  message: 'Internal Server Error',
  statusCode: 500,
  url: `${ROOT_URL}/api/index/v1/ping`,
  step: 'ping',
};

const errored: CheckResult = {
  id: 'ping.index',
  description: 'index answers ping, heartbeats and __version__',
  tags: ['ping'],
  outcome: 'error',
  startedAt: '2025-03-04T02:59:00.125Z',
  durationMs: 1450,
  attempts: [
    {
      attempt: 1,
      outcome: 'error',
      startedAt: '2025-03-04T02:59:00.125Z',
      durationMs: 150,
      error: serverError,
      steps: [{ name: 'ping', outcome: 'error', offsetMs: 0, durationMs: 149, error: 'Internal Server Error' }],
    },
    {
      attempt: 2,
      outcome: 'error',
      startedAt: '2025-03-04T02:59:01.425Z',
      durationMs: 150,
      error: serverError,
      steps: [{ name: 'ping', outcome: 'error', offsetMs: 0, durationMs: 148, error: 'Internal Server Error' }],
    },
  ],
  steps: [{ name: 'ping', outcome: 'error', offsetMs: 0, durationMs: 148, error: 'Internal Server Error' }],
  metrics: {},
  resources: [],
  log: [],
  error: serverError,
};

const skipped: CheckResult = {
  id: 'secrets.roundtrip',
  description: 'a secret can be set, read back and removed',
  tags: ['secrets'],
  outcome: 'skipped',
  startedAt: '2025-03-04T02:59:00.100Z',
  durationMs: 0,
  attempts: [],
  steps: [],
  metrics: {},
  resources: [],
  log: [],
  skipReason: 'missing scopes: secrets:set:project/tc-canary/*, secrets:get:project/tc-canary/*',
};

/** One check per outcome: passed, flaky (first attempt a 503), failed (SLA), error (500 twice), skipped. */
export function sampleRun(): RunResult {
  const checks = [passed, flaky, failed, errored, skipped].map((check) => structuredClone(check));
  return {
    schemaVersion: 1,
    runId: 'Ykm4Kk9cRBO2hT8sHdZx0w',
    startedAt: '2025-03-04T02:59:00.000Z',
    finishedAt: '2025-03-04T03:00:01.600Z',
    durationMs: 61_600,
    rootUrl: ROOT_URL,
    deployment: { version: 'v74.0.1' },
    preflight: { scopes: 'read', serverClockOffsetMs: 0 },
    tool: { name: 'tc-canary', version: '0.1.0' },
    outcome: 'failed',
    summary: summarize(checks),
    checks,
  };
}

/** Replaces one check of the sample run (by id) and keeps the summary consistent. */
export function withCheck(run: RunResult, id: string, change: (check: CheckResult) => void): RunResult {
  const check = run.checks.find((candidate) => candidate.id === id);
  if (!check) throw new Error(`no check ${id} in the sample run`);
  change(check);
  run.summary = summarize(run.checks);
  return run;
}
