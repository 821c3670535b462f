// A comparison as JUnit XML (`compare --junit FILE`), so that CI shows a regression like a failed test: one
// test case per metric, `compare.<check>.<metric>`, and per outcome rate, `compare.<check>.<rate>_rate`; a
// regressed one is a <failure>, one without enough data is <skipped> with the reason, the others pass.

import junitReportBuilder, { type Builder, type TestSuite } from 'junit-report-builder';
import type { Comparison } from './comparison.js';
import { rulesText } from './console-table.js';
import type { MetricComparison, RateComparison } from './verdict.js';

// The package is CommonJS: under NodeNext its default import is typed as the module object.
const junit = junitReportBuilder as unknown as Builder;

const CLASS_NAME = 'tc-canary.compare';

function metricMessage(m: MetricComparison): string {
  const shift = m.ratio === undefined ? '' : ` (x${m.ratio.toFixed(2)}${m.p === undefined ? '' : `, p=${m.p.toPrecision(2)}`})`;
  return `${m.metric} p50 ${m.baseline.p50 ?? '-'} -> ${m.current.p50 ?? '-'} ${m.unit}${shift}, n ${m.baseline.n}/${m.current.n}: ${m.verdict}`;
}

function rateMessage(r: RateComparison): string {
  const p = r.p === undefined ? '' : ` (p=${r.p.toPrecision(2)})`;
  return `${r.rate} ${r.baseline.hits}/${r.baseline.total} -> ${r.current.hits}/${r.current.total}${p}: ${r.verdict}`;
}

function addCase(suite: TestSuite, name: string, verdict: string, message: string, settings: Comparison['settings']): void {
  const testCase = suite.testCase().className(CLASS_NAME).name(name).time(0);
  if (verdict === 'regressed') testCase.failure(message, 'regression');
  else if (verdict === 'not enough data') testCase.skipped().standardOutput(`${message} (${rulesText(settings)})`);
  else testCase.standardOutput(message);
}

export function renderComparisonJunit(comparison: Comparison): string {
  const builder = junit.newBuilder().name('tc-canary compare');
  const suite = builder.testSuite().name('compare')
    .property('baseline.version', comparison.baseline?.version ?? 'none')
    .property('current.version', comparison.current?.version ?? 'none')
    .property('since', comparison.since)
    .property('unversionedRuns', String(comparison.unversionedRuns));
  if (comparison.reason) suite.testCase().className(CLASS_NAME).name('compare').time(0).skipped().standardOutput(`not enough data: ${comparison.reason}`);
  for (const check of comparison.checks) {
    for (const metric of check.metrics) addCase(suite, `compare.${check.checkId}.${metric.metric}`, metric.verdict, metricMessage(metric), comparison.settings);
    for (const rate of check.rates) addCase(suite, `compare.${check.checkId}.${rate.rate}_rate`, rate.verdict, rateMessage(rate), comparison.settings);
  }
  return builder.build();
}
