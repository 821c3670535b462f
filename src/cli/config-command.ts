// `tc-canary config check`: validates the config with its catalogue and exits 0, or lists every problem (exit 2).
// By default offline and structural (fit for a pre-commit hook); --deep also checks it against the environment
// it will run in (see ./deep-config-check.ts).

import { Command } from 'commander';
import { deepConfigCheck } from './deep-config-check.js';
import { CONFIG_HELP, ROOT_URL_HELP } from './options.js';
import { setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

interface ConfigCheckOptions {
  config?: string;
  deep?: boolean;
  rootUrl?: string;
}

export function configCommand(): Command {
  const config = new Command('config').description(COMMANDS.config.description);
  config
    .command('check')
    .description('validate the configuration: exit 0 when valid, else print every problem and exit 2')
    .option('--config <file>', CONFIG_HELP)
    .option('--deep', 'also resolve ${VAR} references, open the history, reach the deployment, and warn on maintenance windows that can never apply')
    .option('--root-url <url>', `with --deep: ${ROOT_URL_HELP}`)
    .action(async (options: ConfigCheckOptions) => {
      const setup = await setupCommand(options.config);
      const source = setup.config.file ?? 'no config file (defaults)';
      const deep = options.deep ? await deepConfigCheck(setup, options.rootUrl) : undefined;
      for (const warning of deep?.warnings ?? []) process.stderr.write(`warning: ${warning.path}: ${warning.message}\n`);
      const reached = deep ? `; reached ${deep.reached.join(' and ')}` : '';
      process.stdout.write(`${source}: valid, ${setup.catalogue.checks.length} checks${reached}\n`);
    });
  return config;
}
