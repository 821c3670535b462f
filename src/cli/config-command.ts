// `tc-canary config check`: validates the config with its catalogue and exits 0, or lists every problem (exit 2).

import { Command } from 'commander';
import { CONFIG_HELP } from './options.js';
import { setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

export function configCommand(): Command {
  const config = new Command('config').description(COMMANDS.config.description);
  config
    .command('check')
    .description('validate the configuration: exit 0 when valid, else print every problem and exit 2')
    .option('--config <file>', CONFIG_HELP)
    .action(async (options: { config?: string }) => {
      const setup = await setupCommand(options.config);
      const source = setup.config.file ?? 'no config file (defaults)';
      process.stdout.write(`${source}: valid, ${setup.catalogue.checks.length} checks\n`);
    });
  return config;
}
