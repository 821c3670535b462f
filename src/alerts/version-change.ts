// "started 12 min after 74.0.1": an incident that begins within the first hour after the deployment changed
// version says so, since a release is the first suspect. A change is a version's first run in the history
// after another version's; the history's version list (build metadata dropped) says when each first ran.

import type { HistoryStore } from '../history/store.js';
import { versionChanges, type VersionChange } from '../history/versions.js';

export type { VersionChange };

/** An incident that starts this soon after a version's first run is said to follow it. */
export const VERSION_CHANGE_WINDOW_MS = 3_600_000;

/** The newest version change at or before a time, if any (the first version ever seen is no change). */
export async function lastVersionChange(history: Pick<HistoryStore, 'versions'>, atMs: number): Promise<VersionChange | undefined> {
  return versionChanges(await history.versions(0)).filter((change) => change.atMs <= atMs).at(-1);
}

/** "started 12 min after 74.0.1" when the incident began within VERSION_CHANGE_WINDOW_MS of the change. */
export function versionChangeNote(change: VersionChange | undefined, incidentStartMs: number): string | undefined {
  if (!change) return undefined;
  const after = incidentStartMs - change.atMs;
  if (after < 0 || after >= VERSION_CHANGE_WINDOW_MS) return undefined;
  return `started ${Math.floor(after / 60_000)} min after ${change.version}`;
}
