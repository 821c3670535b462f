// "started 12 min after 74.0.1": an incident that begins within the first hour after the deployment changed
// version says so, since a release is the first suspect. A change is a version's first run in the history
// after another version's; the history's version list (build metadata dropped) says when each first ran.

import type { HistoryStore } from '../history/store.js';

/** An incident that starts this soon after a version's first run is said to follow it. */
export const VERSION_CHANGE_WINDOW_MS = 3_600_000;

export interface VersionChange {
  version: string;
  /** The version's first run, epoch ms. */
  atMs: number;
}

/** The newest version change at or before a time, if any (the first version ever seen is no change). */
export async function lastVersionChange(history: Pick<HistoryStore, 'versions'>, atMs: number): Promise<VersionChange | undefined> {
  const { versions } = await history.versions(0);
  const starts = versions.map((seen) => ({ version: seen.version, atMs: Date.parse(seen.firstSeen) })).sort((a, b) => a.atMs - b.atMs);
  const before = starts.filter((start) => start.atMs <= atMs);
  return before.length >= 2 ? before.at(-1) : undefined;
}

/** "started 12 min after 74.0.1" when the incident began within VERSION_CHANGE_WINDOW_MS of the change. */
export function versionChangeNote(change: VersionChange | undefined, incidentStartMs: number): string | undefined {
  if (!change) return undefined;
  const after = incidentStartMs - change.atMs;
  if (after < 0 || after >= VERSION_CHANGE_WINDOW_MS) return undefined;
  return `started ${Math.floor(after / 60_000)} min after ${change.version}`;
}
