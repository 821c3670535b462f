// A comparison for people: one block per check, worst shift first, each metric's numbers side by side
// (`claim_latency_ms  p50 240 -> 610 ms (x2.5, p=0.003)  p95 300 -> 700 ms  n 5/5  regressed`), then the
// outcome rates that were not zero on both sides, and a count of verdicts with the rules they follow.

import type { CheckComparison, Comparison, VersionSide } from './comparison.js';
import type { CompareSettings, MetricComparison, RateComparison, Verdict } from './verdict.js';

/** Three significant figures at most: shifts are read, not computed with. */
function short(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

const pValue = (p: number): string => (p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`);
const ratioText = (ratio: number): string => `x${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}`;
const unitText = (unit: string): string => (unit === 'count' || unit === '' ? '' : ` ${unit}`);
const maybe = (value: number | undefined): string => (value === undefined ? '-' : short(value));

function metricLine(m: MetricComparison): string[] {
  const shift = [m.ratio !== undefined && ratioText(m.ratio), m.p !== undefined && pValue(m.p)].filter(Boolean).join(', ');
  return [
    m.metric,
    `p50 ${maybe(m.baseline.p50)} -> ${maybe(m.current.p50)}${unitText(m.unit)}${shift ? ` (${shift})` : ''}`,
    `p95 ${maybe(m.baseline.p95)} -> ${maybe(m.current.p95)}${unitText(m.unit)}`,
    `n ${m.baseline.n}/${m.current.n}`,
    m.verdict,
  ];
}

function rateLine(r: RateComparison): string[] {
  const percent = (rate: number | undefined) => (rate === undefined ? '-' : `${short(rate * 100)} %`);
  return [
    `${r.rate} rate`,
    `${r.baseline.hits}/${r.baseline.total} -> ${r.current.hits}/${r.current.total}${r.p === undefined ? '' : ` (${pValue(r.p)})`}`,
    `${percent(r.baseline.rate)} -> ${percent(r.current.rate)}`,
    '',
    r.verdict,
  ];
}

/** The rates worth a line: any hit on either side. */
const shownRates = (check: CheckComparison) => check.rates.filter((r) => r.baseline.hits + r.current.hits > 0);

function sideText(side: VersionSide): string {
  const asked = side.requested === side.version ? '' : `${side.requested}: `;
  return `${asked}${side.version} (${side.runs} runs, ${side.firstSeen} .. ${side.lastSeen})`;
}

export function rulesText(settings: CompareSettings): string {
  return `each side needs ${settings.minSamples} samples; a shift counts at p < ${settings.alpha} and at least ${short(settings.minEffect.ratio * 100)} % and ${settings.minEffect.ms} ms`;
}

export function renderComparisonTable(comparison: Comparison): string {
  const lines: string[] = [];
  const { baseline, current } = comparison;
  lines.push(`tc-canary compare since ${comparison.since}`);
  if (baseline) lines.push(`  baseline ${sideText(baseline)}`);
  if (current) lines.push(`  current  ${sideText(current)}`);
  if (comparison.unversionedRuns > 0) {
    lines.push(`  ${comparison.unversionedRuns} run(s) whose deployment named no version are counted on neither side`);
  }
  if (comparison.reason) {
    lines.push('', `not enough data: ${comparison.reason}`);
    return `${lines.join('\n')}\n`;
  }

  const rows: (string[] | string)[] = [];
  for (const check of comparison.checks) {
    rows.push(`${check.checkId}  ${check.verdict}`);
    for (const metric of check.metrics) rows.push(metricLine(metric));
    for (const rate of shownRates(check)) rows.push(rateLine(rate));
  }
  const cells = rows.filter((row): row is string[] => Array.isArray(row));
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...cells.map((row) => row[i]!.length)));
  lines.push('');
  for (const row of rows) {
    if (typeof row === 'string') lines.push(row);
    else lines.push(`  ${row.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  ')}`.trimEnd());
  }
  if (comparison.checks.length === 0) lines.push('no results of the compared checks on these versions');

  const verdicts = comparison.checks.flatMap((check) => [...check.metrics, ...check.rates].map((c) => c.verdict));
  const count = (verdict: Verdict) => verdicts.filter((v) => v === verdict).length;
  lines.push('', `${count('regressed')} regressed, ${count('improved')} improved, ${count('same')} same, ${count('not enough data')} not enough data`
    + ` (${rulesText(comparison.settings)})`);
  return `${lines.join('\n')}\n`;
}
