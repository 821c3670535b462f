// `tc-canary sweep`: find what crashed runs left behind (unresolved probe tasks, secrets, hooks, index
// entries) and remove what is older than a threshold, printing one line per thing found.

import { describeError } from '../check/errors.js';
import type { TaskclusterClients } from '../taskcluster/clients.js';
import { findLeftoverHooks } from './find-hooks.js';
import { findLeftoverIndexEntries } from './find-index-entries.js';
import { findLeftoverSecrets } from './find-secrets.js';
import { findLeftoverTasks } from './find-tasks.js';
import type { Findings, Leftover } from './leftover.js';
import type { SweepTargets } from './targets.js';
import { formatElapsed } from '../check/duration.js';

export interface SweepOptions {
  /** Younger leftovers may belong to a run still going: they are kept. */
  olderThanMs: number;
  dryRun: boolean;
  nowMs: number;
  print(line: string): void;
}

export interface SweepSummary {
  /** Removed, or that would be with --dry-run. */
  swept: number;
  kept: number;
  failed: number;
  /** Places the sweep could not look (listings refused or failing), not counting listings the deployment lacks. */
  unlooked: number;
}

const DONE = { cancel: 'canceled', remove: 'removed' } as const;

export async function sweep(tc: TaskclusterClients, targets: SweepTargets, options: SweepOptions): Promise<SweepSummary> {
  const { nowMs } = options;
  const all: Findings[] = [
    await findLeftoverTasks(tc.queue, targets.taskQueueIds, new Set(targets.schedulerIds), nowMs),
    ...await Promise.all(targets.secretPrefixes.map((prefix) => findLeftoverSecrets(tc.secrets, prefix, nowMs))),
    ...await Promise.all(targets.hookGroupIds.map((group) => findLeftoverHooks(tc.hooks, group, nowMs))),
    ...await Promise.all(targets.indexPrefixes.map((prefix) => findLeftoverIndexEntries(tc.index, prefix, nowMs))),
  ];
  const summary: SweepSummary = { swept: 0, kept: 0, failed: 0, unlooked: 0 };
  for (const problem of all.flatMap((findings) => findings.problems)) {
    if (!problem.unsupported) summary.unlooked += 1;
    options.print(`${problem.unsupported ? 'skipped' : 'could not look'}: ${problem.where}: ${problem.message}`);
  }
  for (const leftover of all.flatMap((findings) => findings.leftovers)) {
    const what = `${leftover.kind} ${leftover.id} (${describe(leftover)})`;
    if (leftover.ageMs !== undefined && leftover.ageMs < options.olderThanMs) {
      summary.kept += 1;
      options.print(`kept ${what}: younger than ${formatElapsed(options.olderThanMs)}`);
    } else if (options.dryRun) {
      summary.swept += 1;
      options.print(`would ${leftover.action} ${what}`);
    } else {
      try {
        await leftover.remove();
        summary.swept += 1;
        options.print(`${DONE[leftover.action]} ${what}`);
      } catch (error) {
        summary.failed += 1;
        options.print(`failed to ${leftover.action} ${what}: ${describeError(error, (text) => text).message}`);
      }
    }
  }
  return summary;
}

function describe(leftover: Leftover): string {
  return leftover.ageMs === undefined ? leftover.detail : `${leftover.detail}, ${formatElapsed(leftover.ageMs)} old`;
}
