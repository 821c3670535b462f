// The built-in checks are written as a user writes one: with the public toolkit (src/check/index.ts, the
// package's `tc-canary/check`) and Node's own modules, nothing else of tc-canary's.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CHECKS = new URL('../../checks/', import.meta.url);
const TOOLKIT = '../src/check/index.js';

function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm), ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((match) => match[1]!);
}

describe('the built-in checks', () => {
  const files = readdirSync(CHECKS).filter((name) => name.endsWith('.ts'));

  it('are found', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files)('%s imports only the toolkit and node: modules', (file) => {
    const imports = importsOf(readFileSync(new URL(file, CHECKS), 'utf8'));
    expect(imports).toContain(TOOLKIT);
    expect(imports.filter((specifier) => specifier !== TOOLKIT && !specifier.startsWith('node:'))).toEqual([]);
  });
});
