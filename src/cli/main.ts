#!/usr/bin/env node
// tc-canary's command line. Exit codes: 0 passed, 1 a check failed, 2 the run could not be made.

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/diagnostics.js';
import { TOOL_VERSION } from '../version.js';
import { redactorFromEnv } from './env-redactor.js';
import { EXIT_UNUSABLE } from './exit-codes.js';

/**
 * Each command's module, loaded only when that command runs: a command loads its own dependencies
 * (taskcluster-client, pg, prom-client, ...), so `tc-canary history` does not pay for `serve`'s.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run-command.js')).runCommand(),
  list: async () => (await import('./list-command.js')).listCommand(),
  config: async () => (await import('./config-command.js')).configCommand(),
  alerts: async () => (await import('./alerts-command.js')).alertsCommand(),
  serve: async () => (await import('./serve-command.js')).serveCommand(),
  history: async () => (await import('./history-command.js')).historyCommand(),
  scopes: async () => (await import('./scopes-command.js')).scopesCommand(),
  sweep: async () => (await import('./sweep-command.js')).sweepCommand(),
};

const program = new Command('tc-canary')
  .description('Smoke tests and synthetic monitoring for Taskcluster deployments')
  .version(TOOL_VERSION);
try {
  // The named command alone; without one (help, a typo) all of them, so help lists them and commander suggests.
  const named = Object.hasOwn(COMMANDS, process.argv[2] ?? '') ? [process.argv[2]!] : Object.keys(COMMANDS);
  for (const command of await Promise.all(named.map((name) => COMMANDS[name]!()))) program.addCommand(command);
  // Commands added with addCommand do not inherit these: a usage error anywhere must exit 2, not commander's 1.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.exitOverride().configureOutput({ outputError: (text, write) => write(text) });
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0.
    return error.exitCode === 0 ? 0 : EXIT_UNUSABLE;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT_UNUSABLE;
  }
  const text = error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`tc-canary crashed: ${redactorFromEnv(process.env).redact(text)}\n`);
  return EXIT_UNUSABLE;
}
