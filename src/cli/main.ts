#!/usr/bin/env node
// tc-canary's command line. Exit codes: 0 passed, 1 a check failed, 2 the run could not be made.

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/diagnostics.js';
import { TOOL_VERSION } from '../version.js';
import { alertsCommand } from './alerts-command.js';
import { configCommand } from './config-command.js';
import { EXIT_UNUSABLE } from './exit-codes.js';
import { listCommand } from './list-command.js';
import { runCommand } from './run-command.js';
import { scopesCommand } from './scopes-command.js';
import { sweepCommand } from './sweep-command.js';
import { serveCommand } from './serve-command.js';
import { historyCommand } from './history-command.js';
import { redactorFromEnv } from './setup.js';

const program = new Command('tc-canary')
  .description('Smoke tests and synthetic monitoring for Taskcluster deployments')
  .version(TOOL_VERSION)
  .addCommand(runCommand())
  .addCommand(listCommand())
  .addCommand(configCommand())
  .addCommand(alertsCommand())
  .addCommand(serveCommand())
  .addCommand(historyCommand())
  .addCommand(scopesCommand())
  .addCommand(sweepCommand());

// Commands added with addCommand do not inherit these: a usage error anywhere must exit 2, not commander's 1.
const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
for (const command of everyCommand(program)) command.exitOverride().configureOutput({ outputError: (text, write) => write(text) });

try {
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
