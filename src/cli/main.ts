#!/usr/bin/env node
// tc-canary's command line. Exit codes: 0 passed, 1 a check failed, 2 the run could not be made.

import './compile-cache.js';
import './quiet-sqlite-warning.js';
import { Command, CommanderError, Help } from 'commander';
import { ConfigError } from '../config/diagnostics.js';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS, isCommandName, type CommandEntry } from './commands.js';
import { redactorFromEnv } from './env-redactor.js';
import { EXIT_UNUSABLE } from './exit-codes.js';

// A reader that stops early (`tc-canary run | head`) closes the pipe: the run goes on to its end and is recorded
// as usual, and what it would still have printed there is dropped instead of crashing the process.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const [first, second] = process.argv.slice(2);
/** The one command loaded: the one run, or the one `help <command>` shows; the others are only listed. */
const loaded = first === 'help' ? second : first;

const program = new Command('tc-canary')
  .description('Smoke tests and synthetic monitoring for Taskcluster deployments')
  .version(TOOL_VERSION)
  .configureHelp({
    // A listed command has no options or arguments of its own: say what the loaded one has.
    subcommandTerm: (command) => {
      const name = command.name();
      return isCommandName(name) ? `${name} ${COMMANDS[name].terms}`.trim() : new Help().subcommandTerm(command);
    },
  });
try {
  for (const [name, entry] of Object.entries(COMMANDS)) program.addCommand(name === loaded ? await entry.load() : listed(name, entry));
  // Commands added with addCommand do not inherit these: a usage error anywhere must exit 2, not commander's 1.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.exitOverride().configureOutput({ outputError: (text, write) => write(text) });
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** A command as help lists it and commander suggests it for a typo; never run, since a named command is loaded. */
function listed(name: string, entry: CommandEntry): Command {
  return new Command(name).description(entry.description);
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
