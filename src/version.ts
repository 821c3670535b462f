// tc-canary's own version, from its package.json (two folders up from both src/ and dist/src/).

import { readFileSync } from 'node:fs';

function findVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tc-canary' && pkg.version) return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

export const TOOL_VERSION = findVersion();
