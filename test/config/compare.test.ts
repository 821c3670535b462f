import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { parse } from 'yaml';

const read = (text: string) => parseConfig(parse(text), 'tc-canary.yml');
const problems = (text: string) => read(text).diagnostics.list.map((d) => `${d.path}: ${d.message}`).sort();

test('compare settings default to failing on regressions, 5 samples a side, alpha 0.01 and a 20 % / 10 ms minimum effect', () => {
  expect(read('concurrency: 2\n').config.compare).toBeUndefined();
  expect(read('compare: {}\n').config.compare).toEqual({
    failOnRegression: true, settings: { alpha: 0.01, minSamples: 5, minEffect: { ratio: 0.2, ms: 10 } },
  });
  expect(read('compare:\n  failOnRegression: false\n  minSamples: 10\n  alpha: 0.05\n  minEffect: {percent: 50, time: 1s}\n').config.compare).toEqual({
    failOnRegression: false, settings: { alpha: 0.05, minSamples: 10, minEffect: { ratio: 0.5, ms: 1000 } },
  });
});

test('every problem of the compare section is said at once, by field', () => {
  expect(problems('compare:\n  failOnRegression: yes please\n  minSamples: 2\n  alpha: 0.5\n  minEffect: {percent: "20%", time: 10, ratio: 1}\n  baseline: previous\n')).toEqual([
    'compare.alpha: expected a number above 0 and at most 0.2, e.g. 0.01, got 0.5',
    expect.stringMatching(/^compare\.baseline: unknown key; known keys: failOnRegression, minSamples, alpha, minEffect$/),
    'compare.failOnRegression: expected true or false, got "yes please"',
    'compare.minEffect.percent: expected a number from 0 to 1000, e.g. 20, got "20%"',
    expect.stringMatching(/^compare\.minEffect\.ratio: unknown key/),
    'compare.minEffect.time: expected a duration like 30s, 5m or 2h, got 10',
    'compare.minSamples: expected a number from 4 to 100000, got 2',
  ]);
});
