// `tc-canary compare`: from the history, each check's metrics and outcome rates on a baseline version against
// a current one, with a verdict each (verdict.ts), checks and metrics worst shift first.
//
// `latest` is the version of the newest run that named one; `previous` the newest version seen before the
// current one (by when each was last seen) with at least minSamples runs. Runs whose deployment named no
// version are on neither side: their number is reported so that nobody wonders where they went.

import type { Outcome } from '../check/result.js';
import type { HistoryStore } from '../history/store.js';
import { MAX_VALUES_PER_METRIC, versionKey, type VersionSamples, type VersionSeen } from '../history/versions.js';
import {
  compareRates, compareValues, RATES, type CompareSettings, type MetricComparison, type RateComparison, type RateName, type Verdict,
} from './verdict.js';

export const PREVIOUS = 'previous';
export const LATEST = 'latest';

export interface VersionSide {
  version: string;
  /** What was asked for: `previous`, `latest` or a version as given. */
  requested: string;
  runs: number;
  firstSeen: string;
  lastSeen: string;
}

export interface CheckComparison {
  checkId: string;
  /** Its worst: regressed if any metric or rate regressed. */
  verdict: Verdict;
  metrics: MetricComparison[];
  rates: RateComparison[];
}

export interface Comparison {
  since: string;
  baseline: VersionSide | null;
  current: VersionSide | null;
  /** Why there is nothing to compare, when baseline or current is null. */
  reason?: string;
  settings: CompareSettings & { maxValuesPerSide: number };
  /** Runs since `since` whose deployment named no version: on neither side. */
  unversionedRuns: number;
  verdict: Verdict;
  checks: CheckComparison[];
}

export interface CompareRequest {
  /** `previous` or a version. */
  baseline: string;
  /** `latest` or a version. */
  current: string;
  since: number;
  pattern?: string;
  /** Only these checks (those a run just ran); else every check the pattern matches. */
  checkIds?: readonly string[];
  settings: CompareSettings;
}

/** A version asked for that the history does not have: a usage problem (exit 2), not a verdict. */
export class UnknownVersionError extends Error {
  override readonly name = 'UnknownVersionError';

  constructor(readonly option: string, readonly reason: string) {
    super(`${option}: ${reason}`);
  }
}

function sideOf(seen: VersionSeen, requested: string): VersionSide {
  return { version: seen.version, requested, runs: seen.runs, firstSeen: seen.firstSeen, lastSeen: seen.lastSeen };
}

function named(versions: readonly VersionSeen[], requested: string, option: string, since: string): VersionSeen {
  const found = versions.find((seen) => seen.version === versionKey(requested));
  if (found) return found;
  const known = versions.length === 0 ? 'none' : versions.map((seen) => seen.version).join(', ');
  throw new UnknownVersionError(option, `no run since ${since} was on version ${requested} (versions seen: ${known})`);
}

export async function compareVersions(store: Pick<HistoryStore, 'versions' | 'versionSamples'>, request: CompareRequest): Promise<Comparison> {
  const since = new Date(request.since).toISOString();
  const { versions, unversionedRuns } = await store.versions(request.since);
  const base = { since, settings: { ...request.settings, maxValuesPerSide: MAX_VALUES_PER_METRIC }, unversionedRuns };
  const nothing = (reason: string, current: VersionSide | null = null): Comparison =>
    ({ ...base, baseline: null, current, reason, verdict: 'not enough data', checks: [] });

  const current = request.current === LATEST ? versions.at(-1) : named(versions, request.current, '--current', since);
  if (!current) return nothing(`no run since ${since} named its deployment's version`);
  let baseline: VersionSeen | undefined;
  if (request.baseline === PREVIOUS) {
    const before = versions.slice(0, versions.indexOf(current));
    baseline = before.filter((seen) => seen.runs >= request.settings.minSamples).at(-1);
    if (!baseline) return nothing(`no version seen before ${current.version} since ${since} has ${request.settings.minSamples} runs`, sideOf(current, request.current));
  } else {
    baseline = named(versions, request.baseline, '--baseline', since);
    if (baseline === current) throw new UnknownVersionError('--baseline', `${request.baseline} is the --current version too (${current.version})`);
  }

  const query = { ...(request.pattern !== undefined && { pattern: request.pattern }), ...(request.checkIds && { checkIds: request.checkIds }) };
  // A version has no results from before its first run: reading from there on skips the hours of older versions.
  const samplesOf = (seen: VersionSeen) =>
    store.versionSamples({ ...query, version: seen.version, since: Math.max(request.since, Date.parse(seen.firstSeen)) });
  const [before, after] = await Promise.all([samplesOf(baseline), samplesOf(current)]);
  const checks = compareChecks(before, after, request.settings).sort(byCheckShift);
  return {
    ...base, baseline: sideOf(baseline, request.baseline), current: sideOf(current, request.current),
    verdict: worstOf(checks.map((check) => check.verdict)), checks,
  };
}

function compareChecks(before: VersionSamples, after: VersionSamples, settings: CompareSettings): CheckComparison[] {
  const checkIds = new Set([...before.outcomes.keys(), ...after.outcomes.keys()]);
  // Rates have no minimum effect, and a comparison makes three per check: each is tested at alpha divided by
  // their number (Bonferroni), so that the chance of any rate called regressed by noise stays below alpha.
  const rateSettings = { ...settings, alpha: settings.alpha / Math.max(1, RATES.length * checkIds.size) };
  const valuesOf = (samples: VersionSamples, checkId: string) =>
    new Map(samples.metrics.filter((m) => m.checkId === checkId).map((m) => [m.metric, m]));
  return [...checkIds].map((checkId) => {
    const was = valuesOf(before, checkId);
    const now = valuesOf(after, checkId);
    const metrics = [...new Set([...was.keys(), ...now.keys()])].map((metric) => {
      const unit = (was.get(metric) ?? now.get(metric))!.unit;
      return compareValues(metric, unit, was.get(metric)?.values ?? [], now.get(metric)?.values ?? [], settings);
    }).sort(byMetricShift);
    const rates = RATES.map((rate) => compareRates(rate, tally(before.outcomes.get(checkId), rate), tally(after.outcomes.get(checkId), rate), rateSettings));
    return { checkId, verdict: worstOf([...metrics, ...rates].map((c) => c.verdict)), metrics, rates };
  });
}

/** How many results had the outcome, among those it is a rate of (flaky: of the passes; others: of all counted). */
function tally(counts: Record<Outcome, number> | undefined, rate: RateName): { hits: number; total: number } {
  if (!counts) return { hits: 0, total: 0 };
  if (rate === 'flaky') return { hits: counts.flaky, total: counts.passed + counts.flaky };
  return { hits: counts[rate], total: counts.passed + counts.flaky + counts.failed + counts.error };
}

const RANK: Record<Verdict, number> = { regressed: 0, improved: 1, same: 2, 'not enough data': 3 };

/** Regressed over improved over same; `not enough data` only when nothing had enough. */
function worstOf(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, verdict) => (RANK[verdict] < RANK[worst] ? verdict : worst), 'not enough data');
}

/** Regressions first, then the largest ratio (none: last), then by name. */
function byShift(a: { regressed: boolean; ratio: number; name: string }, b: typeof a): number {
  if (a.regressed !== b.regressed) return a.regressed ? -1 : 1;
  if (a.ratio !== b.ratio) return b.ratio > a.ratio ? 1 : -1;
  return a.name.localeCompare(b.name);
}

const metricShift = (m: MetricComparison) => ({ regressed: m.verdict === 'regressed', ratio: m.ratio ?? -Infinity, name: m.metric });
/** A check shifts as its worst metric; a regressed rate makes it regressed. */
const checkShift = (c: CheckComparison) => ({
  regressed: c.verdict === 'regressed', ratio: Math.max(-Infinity, ...c.metrics.map((m) => m.ratio ?? -Infinity)), name: c.checkId,
});
const byMetricShift = (a: MetricComparison, b: MetricComparison) => byShift(metricShift(a), metricShift(b));
const byCheckShift = (a: CheckComparison, b: CheckComparison) => byShift(checkShift(a), checkShift(b));
