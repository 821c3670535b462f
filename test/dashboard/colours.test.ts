// Every outcome has its own colour, in the light and the dark scheme, and badge text stays readable on it.

import { describe, expect, test } from 'vitest';
import { STYLESHEET } from '../../src/dashboard/assets/style.js';
import { DISPLAY_OUTCOMES } from '../../src/dashboard/outcome.js';

/** The custom properties of the first `:root { ... }` after `from`. */
function palette(from: number): Map<string, string> {
  const start = STYLESHEET.indexOf(':root {', from);
  const block = STYLESHEET.slice(start, STYLESHEET.indexOf('}', start));
  return new Map([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
}

const LIGHT = palette(0);
const DARK = palette(STYLESHEET.indexOf('prefers-color-scheme: dark'));

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('outcome colours', () => {
  test('each outcome class takes its own colour variable', () => {
    for (const outcome of DISPLAY_OUTCOMES) expect(STYLESHEET).toContain(`.o-${outcome} { --o: var(--${outcome}); }`);
  });

  test.each([['light', LIGHT], ['dark', DARK]] as const)('the %s scheme gives every outcome a distinct colour', (_, colours) => {
    const used = DISPLAY_OUTCOMES.map((outcome) => colours.get(outcome));
    expect(used.every(Boolean)).toBe(true);
    expect(new Set(used).size).toBe(DISPLAY_OUTCOMES.length);
  });

  test.each([['light', LIGHT], ['dark', DARK]] as const)('text in the %s scheme is at least 4.5:1 (WCAG AA)', (_, colours) => {
    for (const outcome of DISPLAY_OUTCOMES) expect(contrast('#ffffff', colours.get(outcome)!), `badge ${outcome}`).toBeGreaterThanOrEqual(4.5);
    const pairs = [
      ['fg', 'surface'], ['fg', 'bg'], ['muted', 'surface'], ['muted', 'bg'], ['link', 'surface'], ['link', 'bg'],
      ['failed-text', 'surface'], ['failed-text', 'down-bg'], ['muted', 'down-bg'], ['link', 'down-bg'], ['warn', 'surface'], ['on-link', 'link'],
    ];
    for (const [text, background] of pairs) expect(contrast(colours.get(text!)!, colours.get(background!)!), `${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
  });

  test('strip cells and plot lines stand out from the page (3:1) in both schemes', () => {
    for (const colours of [LIGHT, DARK]) {
      for (const name of [...DISPLAY_OUTCOMES.filter((o) => o !== 'skipped' && o !== 'aborted'), 'plot-value', 'plot-limit']) {
        expect(contrast(colours.get('surface')!, colours.get(name)!), name).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
