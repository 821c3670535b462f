// `tc-canary scopes`: the scopes the selected checks need (with the config's params), ready to paste into a
// Taskcluster role.

import { Command } from 'commander';
import type { ScopeExpression } from 'taskcluster-lib-scopes';
import { PREFLIGHT_SCOPE, requiredScopes } from '../runner/preflight.js';
import { roleScopes } from '../taskcluster/role-scopes.js';
import { CONFIG_HELP } from './options.js';
import { selectForCommand, setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

export function scopesCommand(): Command {
  return new Command('scopes')
    .description(COMMANDS.scopes.description)
    .option('--config <file>', CONFIG_HELP)
    .option('--json', 'print {scopes, byCheck} as JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      const setup = await setupCommand(options.config);
      const selection = selectForCommand(setup);
      const byCheck: Record<string, string[]> = {};
      const expressions: ScopeExpression[] = [];
      for (const check of selection.checks) {
        if (selection.excluded.has(check.id)) continue;
        const expression = requiredScopes(check, setup.params.get(check.id) ?? {});
        if (expression !== undefined) expressions.push(expression);
        byCheck[check.id] = expression === undefined ? [] : roleScopes([expression]);
      }
      // From the expressions, not the per-check lists: one check's scopes may already satisfy another's AnyOf.
      // Plus the preflight's own: without it no missing scope can be skipped by name.
      const scopes = roleScopes([PREFLIGHT_SCOPE, ...expressions]);
      process.stdout.write(options.json ? `${JSON.stringify({ scopes, byCheck }, null, 2)}\n` : scopes.map((scope) => `${scope}\n`).join(''));
    });
}
