// `tc-canary list`: the catalogue as this config sees it: every check, whether it is selected, its scopes.

import { Command } from 'commander';
import type { Watches } from '../check/define.js';
import { formatDuration } from '../check/duration.js';
import type { ParamSpec, ParamSpecs } from '../check/params.js';
import { effectiveSchedule } from '../catalogue/schedule.js';
import { formatExpression, requiredScopes } from '../runner/preflight.js';
import { CONFIG_HELP } from './options.js';
import { selectForCommand, setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

interface ListedCheck {
  id: string;
  description: string;
  tags: string[];
  /** The background process of the deployment the check exercises: `queue deadlineResolver`. */
  watches?: Watches;
  scopes: string;
  /** Each param's value as the config writes it (`claimSla: 60s`); a pool's checks take theirs from its entry. */
  params: Record<string, string>;
  schedule: string;
  dependsOn: string[];
  selected: boolean;
  excludedReason?: string;
}

export function listCommand(): Command {
  return new Command('list')
    .description(COMMANDS.list.description)
    .option('--config <file>', CONFIG_HELP)
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { config?: string; json?: boolean }) => {
      const setup = await setupCommand(options.config);
      const selection = selectForCommand(setup);
      const selected = new Set(selection.checks.map((check) => check.id));
      const listed: ListedCheck[] = setup.catalogue.checks.map((check) => {
        const params = setup.params.get(check.id) ?? {};
        const scopes = requiredScopes(check, params);
        const entry: ListedCheck = {
          id: check.id,
          description: check.description,
          tags: check.tags ?? [],
          ...(check.watches ? { watches: check.watches } : {}),
          scopes: scopes === undefined ? '' : formatExpression(scopes),
          params: Object.fromEntries(Object.entries(check.params as ParamSpecs ?? {}).map(([name, spec]) => [name, writtenAs(spec, params[name])])),
          schedule: effectiveSchedule(check, setup.config.checks.schedules),
          dependsOn: check.dependsOn ?? [],
          selected: selected.has(check.id) && !selection.excluded.has(check.id),
        };
        const excludedReason = selection.excluded.get(check.id);
        if (excludedReason) entry.excludedReason = excludedReason;
        return entry;
      });
      process.stdout.write(options.json ? `${JSON.stringify(listed, null, 2)}\n` : table(listed));
    });
}

/** A param's value as one writes it in the config: durations with their unit. */
function writtenAs(spec: ParamSpec<unknown>, value: unknown): string {
  return spec.type === 'duration' && typeof value === 'number' ? formatDuration(value) : String(value);
}

function table(checks: ListedCheck[]): string {
  const width = Math.max(...checks.map((check) => check.id.length), 2);
  const lines = checks.map((check) => {
    const mark = check.selected ? '*' : ' ';
    const params = Object.entries(check.params).map(([name, value]) => `${name}=${value}`).join(' ');
    const details = [
      check.watches && `watches ${check.watches.service} ${check.watches.process}`, `schedule ${check.schedule}`,
      check.scopes ? `scopes ${check.scopes}` : 'no scopes', params && `params ${params}`, check.excludedReason,
    ].filter(Boolean).join('; ');
    return `${mark} ${check.id.padEnd(width)}  ${check.description}\n  ${' '.repeat(width)}  ${details}`;
  });
  return `${lines.join('\n')}\n\n* selected by this config (${checks.filter((check) => check.selected).length} of ${checks.length})\n`;
}
