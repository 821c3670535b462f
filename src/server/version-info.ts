// Dockerflow's /__version__: {source, version, commit, build}. The Docker image writes version.json at the
// package root when it is built (see Dockerfile); without one, the package's own version is all we know.

import { readFileSync } from 'node:fs';
import { TOOL_VERSION } from '../version.js';

export interface VersionInfo {
  source: string;
  version: string;
  commit: string;
  build: string;
}

const UNKNOWN = 'unknown';

/** The package root is two folders up from src/server/ and three from dist/src/server/. */
const CANDIDATES = ['../../version.json', '../../../version.json'].map((relative) => new URL(relative, import.meta.url));

export function versionInfo(files: readonly URL[] = CANDIDATES): VersionInfo {
  const fallback: VersionInfo = { source: UNKNOWN, version: TOOL_VERSION, commit: UNKNOWN, build: UNKNOWN };
  const written = files.map(readJson).find((value) => value !== undefined);
  if (!written) return fallback;
  const pick = (key: keyof VersionInfo) => (typeof written[key] === 'string' && written[key] ? (written[key] as string) : fallback[key]);
  return { source: pick('source'), version: pick('version'), commit: pick('commit'), build: pick('build') };
}

function readJson(file: URL): Partial<Record<keyof VersionInfo, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
