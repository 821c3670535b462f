import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderJsonReport } from '../../src/report/json.js';
import type { CheckResult, RunResult } from '../../src/check/result.js';
import { sampleRun, withCheck } from './sample-run.js';
import { schemaErrors } from './schema.js';

const report = (run: RunResult) => JSON.parse(renderJsonReport(run)) as RunResult;

describe('the JSON report', () => {
  test('a run with every outcome validates against docs/report.schema.json', () => {
    const run = sampleRun();
    expect(run.checks.map((check) => check.outcome)).toEqual(['passed', 'flaky', 'failed', 'error', 'skipped']);
    expect(schemaErrors(report(run))).toEqual([]);
  });

  test('is the run itself, every field kept', () => {
    const run = sampleRun();
    expect(report(run)).toEqual(run);
  });

  test('keys come out in the order of the types, whatever order the runner built them in', () => {
    const run = sampleRun();
    const scrambled = reverseKeys(run) as RunResult;
    expect(Object.keys(scrambled)[0]).toBe('checks');
    expect(renderJsonReport(scrambled)).toBe(renderJsonReport(run));
    const parsed = report(scrambled);
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion', 'runId', 'startedAt', 'finishedAt', 'durationMs', 'rootUrl', 'deployment', 'preflight', 'tool',
      'outcome', 'summary', 'checks',
    ]);
    expect(Object.keys(parsed.checks[2]!)).toEqual([
      'id', 'description', 'tags', 'watches', 'outcome', 'startedAt', 'durationMs', 'attempts', 'steps', 'metrics',
      'resources', 'log', 'error',
    ]);
    expect(Object.keys(parsed.checks[1]!.attempts[0]!.error!)).toEqual(['kind', 'message', 'statusCode', 'url', 'step']);
  });

  test('fields outside the contract are not written', () => {
    const run = withCheck(sampleRun(), 'ping.queue', (check) => {
      Object.assign(check, { internalTimer: 42 });
    });
    expect(renderJsonReport(run)).not.toContain('internalTimer');
  });

  test('a wait\'s step says how the transition was seen, in the check\'s steps and its attempt\'s', () => {
    const run = withCheck(sampleRun(), 'queue.built-in-succeed', (check) => {
      check.steps[1]!.seenVia = 'pulse';
    });
    const parsed = report(run);
    const check = parsed.checks.find((c) => c.id === 'queue.built-in-succeed')!;
    expect(check.steps.map((step) => step.seenVia)).toEqual([undefined, 'pulse']);
    expect(check.attempts.at(-1)!.steps.map((step) => step.seenVia)).toEqual([undefined, 'pulse']);
    expect(schemaErrors(parsed)).toEqual([]);
  });

  test('an unknown deployment version is written as null', () => {
    const run = sampleRun();
    run.deployment.version = null;
    const parsed = report(run);
    expect(parsed.deployment).toEqual({ version: null });
    expect(schemaErrors(parsed)).toEqual([]);
  });

  test('is pretty-printed and ends with a newline', () => {
    const text = renderJsonReport(sampleRun());
    expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('the schema rejects a broken report', () => {
  const broken: Array<[string, (run: RunResult) => void, string]> = [
    ['another schema version', (run) => Object.assign(run, { schemaVersion: 2 }), '/schemaVersion'],
    ['an unknown outcome', (run) => Object.assign(run.checks[0]!, { outcome: 'warning' }), '/checks/0/outcome'],
    ['an unknown field', (run) => Object.assign(run.checks[0]!, { extra: true }), '/checks/0'],
    ['a missing summary count', (run) => delete (run.summary as Partial<RunResult['summary']>).flaky, '/summary'],
    ['a skipped check without a reason', (run) => delete run.checks[4]!.skipReason, '/checks/4'],
    ['a failed check without its error', (run) => delete run.checks[2]!.error, '/checks/2'],
    ['an error kind that does not exist', (run) => Object.assign(run.checks[3]!.error!, { kind: 'oops' }), '/checks/3/error/kind'],
    ['a limit without ok', (run) => delete run.checks[2]!.metrics.claim_latency_ms!.ok, '/checks/2/metrics/claim_latency_ms'],
    ['a timestamp that is not one', (run) => Object.assign(run, { startedAt: 'yesterday' }), '/startedAt'],
    ['a negative duration', (run) => Object.assign(run.checks[0]!, { durationMs: -1 }), '/checks/0/durationMs'],
  ];
  test.each(broken)('%s', (_name, breakIt, path) => {
    const run = report(sampleRun());
    breakIt(run);
    const errors = schemaErrors(run);
    expect(errors.some((error) => error.startsWith(path))).toBe(true);
  });
});

test('the example in docs/reports.md is a valid report', () => {
  const docs = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
  const example = /```json\n([^]*?)\n```/.exec(docs)?.[1];
  expect(example).toBeDefined();
  expect(schemaErrors(JSON.parse(example!))).toEqual([]);
});

test('a result from inside a maintenance window carries the window, and validates', () => {
  const run = sampleRun();
  run.checks[2]!.maintenance = { reason: 'queue database upgrade', until: '2026-11-29T14:00:00.000Z' };
  const report = JSON.parse(renderJsonReport(run));
  expect(report.checks[2].maintenance).toEqual({ reason: 'queue database upgrade', until: '2026-11-29T14:00:00.000Z' });
  expect(schemaErrors(report)).toEqual([]);
  report.checks[2].maintenance = { reason: 'x' };
  expect(schemaErrors(report).join('\n')).toContain('until');
});

test('the schema lists exactly the fields of the result types', () => {
  // tsc makes the sample carry every required field of the types, so a new one fails here until the
  // schema (and docs/reports.md) have it.
  const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8'));
  const fields = (properties: object) => Object.keys(properties).sort();
  const run = sampleRun();
  const failed = run.checks[2] as Required<CheckResult>;
  expect(fields(schema.properties)).toEqual(fields(run));
  expect(fields(schema.$defs.check.properties)).toEqual(fields({ ...failed, skipReason: '', maintenance: { reason: '', until: '' } }));
  expect(fields(schema.$defs.error.properties)).toEqual(['code', 'kind', 'message', 'statusCode', 'step', 'url']);
  expect(fields(schema.$defs.attempt.properties)).toEqual(fields(failed.attempts[0]!));
});

/** The same data with the keys of every typed object in reverse order (metric names are data: kept). */
function reverseKeys(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => reverseKeys(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, reverseKeys(inner, key === 'metrics')] as const);
  return Object.fromEntries(keepOrder ? entries : entries.reverse());
}
