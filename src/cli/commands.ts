// The commands, as `tc-canary --help` lists them, known without loading any: each command's module loads its
// own dependencies (taskcluster-client, pg, prom-client, ...), so help and --version load none of them and a
// command loads only its own (test/cli/startup.test.ts proves both).

import type { Command } from 'commander';

export interface CommandEntry {
  /** What the help's list shows after the command's name: its options and arguments, as the loaded command has them. */
  terms: string;
  description: string;
  load(): Promise<Command>;
}

export type CommandName = 'run' | 'list' | 'config' | 'alerts' | 'serve' | 'history' | 'compare' | 'scopes' | 'sweep';

export const COMMANDS: Record<CommandName, CommandEntry> = {
  run: {
    terms: '[options]',
    description: 'run the selected checks once against a deployment and report the results',
    load: async () => (await import('./run-command.js')).runCommand(),
  },
  list: {
    terms: '[options]',
    description: 'list the checks, their scopes and schedules, and whether the config selects them',
    load: async () => (await import('./list-command.js')).listCommand(),
  },
  config: {
    terms: '',
    description: 'work with the configuration file',
    load: async () => (await import('./config-command.js')).configCommand(),
  },
  alerts: {
    terms: '',
    description: 'work with alert routes',
    load: async () => (await import('./alerts-command.js')).alertsCommand(),
  },
  serve: {
    terms: '[options]',
    description: 'run the selected checks on their schedules, send the configured alerts, and serve the dashboard, /status.json, /checks/<id>, /metrics and Dockerflow endpoints',
    load: async () => (await import('./serve-command.js')).serveCommand(),
  },
  history: {
    terms: '[options] [pattern]',
    description: 'summarize the recorded results: uptime, outcomes, flaky rate, metric percentiles, failing streaks, aborted runs',
    load: async () => (await import('./history-command.js')).historyCommand(),
  },
  compare: {
    terms: '[options] [pattern]',
    description: 'compare each check\'s metrics and outcome rates between two deployment versions in the history: regressed, improved, same or not enough data',
    load: async () => (await import('./compare-command.js')).compareCommand(),
  },
  scopes: {
    terms: '[options]',
    description: 'print the scopes the selected checks need, one per line, ready to paste into a Taskcluster role',
    load: async () => (await import('./scopes-command.js')).scopesCommand(),
  },
  sweep: {
    terms: '[options]',
    description: 'find what crashed runs left behind (unresolved probe tasks, secrets, hooks) and remove it',
    load: async () => (await import('./sweep-command.js')).sweepCommand(),
  },
};

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}
