// The `compare:` section: how `tc-canary compare` and `run --compare` judge a shift between versions, and
// whether `run --compare` fails on a regression.
//
//   compare:
//     failOnRegression: true     # run --compare exits 1 when a metric or rate regressed (default true)
//     minSamples: 5              # samples each side needs for a verdict
//     alpha: 0.01                # a shift counts when the test's p is below this
//     minEffect: {percent: 20, time: 10ms}   # the smallest shift of the median that counts

import { DEFAULT_COMPARE_SETTINGS, type CompareSettings } from '../compare/verdict.js';
import type { ConfigReader } from './reader.js';

export interface CompareConfig {
  failOnRegression: boolean;
  settings: CompareSettings;
}

const KEYS = ['failOnRegression', 'minSamples', 'alpha', 'minEffect'] as const;
const EFFECT_KEYS = ['percent', 'time'] as const;
/** With fewer, no rank test can reach any usual alpha (3 a side: the smallest exact p is 0.1). */
const MIN_SAMPLES = 4;

export function defaultCompareConfig(): CompareConfig {
  return { failOnRegression: true, settings: { ...DEFAULT_COMPARE_SETTINGS, minEffect: { ...DEFAULT_COMPARE_SETTINGS.minEffect } } };
}

export function readCompare(read: ConfigReader, value: unknown): CompareConfig {
  const compare = defaultCompareConfig();
  const raw = read.mapping(value, 'compare', KEYS);
  if (!raw) return compare;
  if (raw.failOnRegression !== undefined) compare.failOnRegression = read.boolean(raw.failOnRegression, 'compare.failOnRegression') ?? true;
  if (raw.minSamples !== undefined) compare.settings.minSamples = read.integer(raw.minSamples, 'compare.minSamples', MIN_SAMPLES, 100_000) ?? compare.settings.minSamples;
  if (raw.alpha !== undefined) {
    if (typeof raw.alpha === 'number' && raw.alpha > 0 && raw.alpha <= 0.2) compare.settings.alpha = raw.alpha;
    else read.problem('compare.alpha', `expected a number above 0 and at most 0.2, e.g. 0.01, got ${JSON.stringify(raw.alpha)}`);
  }
  if (raw.minEffect !== undefined) {
    const effect = read.mapping(raw.minEffect, 'compare.minEffect', EFFECT_KEYS);
    if (effect?.percent !== undefined) {
      const percent = effect.percent;
      if (typeof percent === 'number' && percent >= 0 && percent <= 1000) compare.settings.minEffect.ratio = percent / 100;
      else read.problem('compare.minEffect.percent', `expected a number from 0 to 1000, e.g. 20, got ${JSON.stringify(percent)}`);
    }
    if (effect?.time !== undefined) compare.settings.minEffect.ms = read.duration(effect.time, 'compare.minEffect.time') ?? compare.settings.minEffect.ms;
  }
  return compare;
}
