// `tc-canary sweep`: removes what crashed runs left behind under the configured prefixes.

import { Command } from 'commander';
import { parseDuration } from '../check/duration.js';
import { ConfigError } from '../config/diagnostics.js';
import { sweep } from '../sweep/sweep.js';
import { sweepTargets } from '../sweep/targets.js';
import { taskclusterClients } from '../taskcluster/clients.js';
import { EXIT_FAILED, EXIT_PASSED } from './exit-codes.js';
import { announceDeployment, deploymentOptions } from './options.js';
import { resolveDeployment, setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

interface SweepOptions {
  config?: string;
  rootUrl?: string;
  olderThan: string;
  dryRun?: boolean;
}

export function sweepCommand(): Command {
  return deploymentOptions(new Command('sweep').description(COMMANDS.sweep.description))
    .option('--older-than <duration>', 'leave alone what is younger (it may belong to a run still going)', '1h')
    .option('--dry-run', 'print what would be removed, remove nothing')
    .action(async (options: SweepOptions) => {
      process.exitCode = await sweepOnce(options);
    });
}

async function sweepOnce(options: SweepOptions): Promise<number> {
  const olderThanMs = parseDuration(options.olderThan);
  if (olderThanMs === undefined) throw new ConfigError('arguments', [{ path: '--older-than', message: `expected a duration like 1h, got ${JSON.stringify(options.olderThan)}` }]);
  const setup = await setupCommand(options.config);
  const deployment = resolveDeployment(setup, options.rootUrl);
  announceDeployment(deployment, 'listing and removing will likely be refused');
  const say = (line: string) => process.stdout.write(`${setup.redactor.redact(line)}\n`);
  const targets = sweepTargets(setup);
  say(`sweeping ${deployment.rootUrl}${options.dryRun ? ' (dry run)' : ''}: tasks of schedulerId ${targets.schedulerIds.join(', ')} on ${targets.taskQueueIds.join(', ')}; secrets under ${targets.secretPrefixes.map((prefix) => `${prefix}/`).join(', ')}; hooks in ${targets.hookGroupIds.join(', ')}; index entries under ${targets.indexPrefixes.join(', ')}`);
  const summary = await sweep(taskclusterClients(deployment.rootUrl, deployment.credentials), targets, {
    olderThanMs,
    dryRun: options.dryRun ?? false,
    nowMs: Date.now(),
    print: say,
  });
  say(`${options.dryRun ? 'would sweep' : 'swept'} ${summary.swept}, kept ${summary.kept}, failed ${summary.failed}${summary.unlooked ? `, could not look in ${summary.unlooked} place(s)` : ''}`);
  return summary.failed + summary.unlooked > 0 ? EXIT_FAILED : EXIT_PASSED;
}
