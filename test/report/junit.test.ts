import { describe, expect, test } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderJunitReport } from '../../src/report/junit.js';
import type { RunResult } from '../../src/check/result.js';
import { sampleRun, withCheck } from './sample-run.js';

// What fast-xml-parser makes of the report: attributes as plain keys, an element's text under '#text'.
interface Element {
  message?: string;
  type?: string;
  '#text'?: string;
  'system-out'?: string;
}
interface TestCaseElement {
  classname: string;
  name: string;
  time: string;
  failure?: Element;
  error?: Element;
  skipped?: Element;
  'system-out': string;
  flakyFailure?: Element[];
  flakyError?: Element[];
  rerunFailure?: Element[];
  rerunError?: Element[];
}
interface Counts {
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
}
interface Suite extends Counts {
  name: string;
  hostname?: string;
  time: string;
  timestamp: string;
  properties: { property: Array<{ name: string; value: string }> };
  testcase: TestCaseElement[];
}
interface Report {
  testsuites: Counts & { testsuite: Suite[] };
}

const REPEATED = new Set(['testsuite', 'testcase', 'property', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

function parse(xml: string): Report {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Report;
}

function render(run: RunResult = sampleRun()) {
  const xml = renderJunitReport(run, { hostname: 'worker-1' });
  const report = parse(xml);
  const suite = report.testsuites.testsuite[0]!;
  const testCase = (id: string) => {
    const found = suite.testcase.find((candidate) => candidate.name === id);
    if (!found) throw new Error(`no testcase ${id}`);
    return found;
  };
  return { xml, report, suite, testCase };
}

describe('the JUnit report', () => {
  test('parses back with counts consistent with the run summary', () => {
    const run = sampleRun();
    const { report, suite } = render(run);
    expect(report.testsuites.testsuite).toHaveLength(1);
    for (const group of [report.testsuites, suite]) {
      expect(Number(group.tests)).toBe(run.checks.length);
      expect(Number(group.failures)).toBe(run.summary.failed);
      expect(Number(group.errors)).toBe(run.summary.error);
      expect(Number(group.skipped)).toBe(run.summary.skipped);
    }
    expect(suite.testcase.filter((testCase) => testCase.failure)).toHaveLength(run.summary.failed);
    expect(suite.testcase.filter((testCase) => testCase.error)).toHaveLength(run.summary.error);
    expect(suite.testcase.filter((testCase) => testCase.skipped !== undefined)).toHaveLength(run.summary.skipped);
  });

  test('one suite named after the deployment, with the run as properties', () => {
    const { suite } = render();
    expect(suite.name).toBe('tc.example.com');
    expect(suite.hostname).toBe('worker-1');
    expect(suite.time).toBe('61.6');
    expect(suite.timestamp).toBe('2025-03-04T02:59:00');
    expect(Object.fromEntries(suite.properties.property.map((p) => [p.name, p.value]))).toEqual({
      rootUrl: 'https://tc.example.com',
      'deployment.version': 'v74.0.1',
      'tc-canary.version': '0.1.0',
      runId: 'Ykm4Kk9cRBO2hT8sHdZx0w',
      timestamp: '2025-03-04T02:59:00.000Z',
      'preflight.scopes': 'read',
      'preflight.serverClockOffsetMs': '0',
    });
  });

  test('without a hostname the attribute is left out, and an unknown version says so', () => {
    const run = sampleRun();
    run.deployment.version = null;
    const suite = parse(renderJunitReport(run)).testsuites.testsuite[0]!;
    expect(suite.hostname).toBeUndefined();
    expect(suite.properties.property.find((p) => p.name === 'deployment.version')?.value).toBe('unknown');
  });

  test('one testcase per check: classname from the first id segment, the id as name, time in seconds', () => {
    const { suite } = render();
    expect(suite.testcase.map(({ classname, name, time }) => ({ classname, name, time }))).toEqual([
      { classname: 'tc-canary.ping', name: 'ping.queue', time: '0.123' },
      { classname: 'tc-canary.ping', name: 'ping.auth', time: '2.31' },
      { classname: 'tc-canary.queue', name: 'queue.built-in-succeed', time: '61.2' },
      { classname: 'tc-canary.ping', name: 'ping.index', time: '1.45' },
      { classname: 'tc-canary.secrets', name: 'secrets.roundtrip', time: '0' },
    ]);
  });

  test('a failed check is a <failure> typed by its error kind, naming the step and the metric over its limit', () => {
    const failure = render().testCase('queue.built-in-succeed').failure!;
    expect(failure.type).toBe('sla');
    expect(failure.message).toBe('step "wait for claim": claim SLA exceeded: pending after 60 s');
    expect(failure['#text']).toContain('claim_latency_ms 75000 > limit 60000 (+15000)');
  });

  test('an errored check is an <error> whose message has the URL and the status; earlier attempts are reruns', () => {
    const testCase = render().testCase('ping.index');
    expect(testCase.failure).toBeUndefined();
    expect(testCase.error!.type).toBe('transient');
    expect(testCase.error!.message).toBe('step "ping": Internal Server Error (HTTP 500 at https://tc.example.com/api/index/v1/ping)');
    expect(testCase.error!['#text']).toContain('2 attempts: error, error');
    expect(testCase.rerunError!.map((rerun) => rerun.message)).toEqual([
      'attempt 1: step "ping": Internal Server Error (HTTP 500 at https://tc.example.com/api/index/v1/ping)',
    ]);
  });

  test('a skipped check carries its reason', () => {
    const testCase = render().testCase('secrets.roundtrip');
    expect(testCase.skipped!.message).toBe('missing scopes: secrets:set:project/tc-canary/*, secrets:get:project/tc-canary/*');
  });

  test('a flaky check passes, with each failed attempt as a Surefire flaky element', () => {
    const testCase = render().testCase('ping.auth');
    expect(testCase.failure).toBeUndefined();
    expect(testCase.error).toBeUndefined();
    expect(testCase.flakyError).toHaveLength(1);
    expect(testCase.flakyError![0]!.type).toBe('transient');
    expect(testCase.flakyError![0]!.message).toBe(
      'attempt 1: step "ping": Service Unavailable (HTTP 503 at https://tc.example.com/api/auth/v1/ping)',
    );
    expect(testCase.flakyError![0]!['system-out']).toContain('+0.000s  ping  error  209ms  Service Unavailable');
  });

  test('an attempt that failed an assertion before a pass is a <flakyFailure>', () => {
    const run = withCheck(sampleRun(), 'ping.auth', (check) => {
      check.attempts[0]!.outcome = 'failed';
      check.attempts[0]!.error = { kind: 'assertion', message: 'expected alive: true' };
    });
    const testCase = render(run).testCase('ping.auth');
    expect(testCase.flakyError).toBeUndefined();
    expect(testCase.flakyFailure!.map(({ message, type }) => ({ message, type }))).toEqual([
      { message: 'attempt 1: expected alive: true', type: 'assertion' },
    ]);
  });

  test('<system-out> holds every attempt with its timed steps, the metrics, resources and log lines', () => {
    const { testCase } = render();
    const out = testCase('queue.built-in-succeed')['system-out'];
    expect(out).toContain('attempt 1 failed after 1m 1s: step "wait for claim": claim SLA exceeded');
    expect(out).toContain('+0.002s  create task  passed  180ms');
    expect(out).toContain('+0.185s  wait for claim  failed  1m 1s  claim SLA exceeded: pending after 60 s');
    expect(out).toContain('claim_latency_ms 75000 > limit 60000 (+15000)');
    expect(out).toContain('e2e_ms 61190');
    expect(out).toContain('task fN0Hq3wTRg6bDz2VnBVqQA');
    expect(out).toContain('+61.196s  canceled task fN0Hq3wTRg6bDz2VnBVqQA');
    expect(testCase('ping.auth')['system-out']).toMatch(/attempt 1 error after 210ms[^]*attempt 2 passed after 100ms/);
  });

  test('odd characters are escaped, and characters XML cannot carry are dropped', () => {
    const odd = 'a <b> & "c" \'d\' ]]> e ]]> f \u0001\u001b[31m 🚀';
    const run = withCheck(sampleRun(), 'queue.built-in-succeed', (check) => {
      check.description = odd;
      check.error = { ...check.error!, message: odd };
      check.log.push({ offsetMs: 5, message: odd });
    });
    const testCase = render(run).testCase('queue.built-in-succeed');
    const readable = 'a <b> & "c" \'d\' ]]> e ]]> f [31m 🚀';
    expect(testCase.failure!.message).toBe(`step "wait for claim": ${readable}`);
    expect(testCase['system-out']).toContain(`queue.built-in-succeed: ${readable}`);
    expect(testCase['system-out']).toContain(`+0.005s  ${readable}`);
    // In CDATA, "]]>" cannot be kept as it is.
    expect(testCase.failure!['#text']).toContain('a <b> & "c" \'d\' ]] > e ]] > f');
  });

  test('runs do not share state: each report has only its own checks', () => {
    renderJunitReport(sampleRun());
    const { suite, report } = render();
    expect(report.testsuites.testsuite).toHaveLength(1);
    expect(suite.testcase).toHaveLength(5);
  });
});

test('a check failed by a metric alone is reported by that metric', () => {
  const run = withCheck(sampleRun(), 'queue.built-in-succeed', (check) => {
    delete check.error;
  });
  const testCase = parse(renderJunitReport(run)).testsuites.testsuite[0]!.testcase[2]!;
  expect(testCase.failure!.type).toBe('assertion');
  expect(testCase.failure!.message).toBe('claim_latency_ms 75000 > limit 60000 (+15000)');
});
