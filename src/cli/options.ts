// The options several commands share, worded once, and the one-line notices about the deployment a command
// talks to.

import type { Command } from 'commander';
import type { Deployment } from './setup.js';

export const CONFIG_HELP = 'config file (default: $TC_CANARY_CONFIG, else ./tc-canary.yml when present)';
export const ROOT_URL_HELP = 'deployment root URL (default: config rootUrl, else $TASKCLUSTER_ROOT_URL, else community-tc)';

/** --config and --root-url. */
export function deploymentOptions(command: Command): Command {
  return command.option('--config <file>', CONFIG_HELP).option('--root-url <url>', ROOT_URL_HELP);
}

/** --check PATTERN, repeatable. */
export function checkPatternOption(command: Command, verb: string): Command {
  return command.option('--check <pattern>', `${verb} only checks whose id matches; * matches anything (repeatable)`, (value: string, all: string[]) => [...all, value], []);
}

/** Says on standard error when the root URL is the built-in default and when the command runs anonymously. */
export function announceDeployment(deployment: Deployment, anonymousConsequence = 'running anonymously'): void {
  if (deployment.rootUrlSource === 'default') process.stderr.write(`no root URL given (--root-url, rootUrl, TASKCLUSTER_ROOT_URL): using ${deployment.rootUrl}\n`);
  if (!deployment.credentials) process.stderr.write(`no Taskcluster credentials (TASKCLUSTER_CLIENT_ID, TASKCLUSTER_ACCESS_TOKEN): ${anonymousConsequence}\n`);
}
