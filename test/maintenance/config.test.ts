import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { maintenancePatterns } from '../../src/config/maintenance.js';
import { parseConfig } from '../../src/config/parse.js';

function problems(yaml: string): string[] {
  return parseConfig(parse(yaml), undefined).diagnostics.list.map((d) => `${d.path}: ${d.message}`);
}

describe('maintenance config', () => {
  it('reads a window with its defaults kept as written', () => {
    const { config, diagnostics } = parseConfig(parse(`
maintenance:
  - {checks: "queue.*", start: "02:00", duration: 90m, every: [sat, sun], timezone: Europe/Berlin, reason: upgrade}
`), undefined);
    expect(diagnostics.list).toEqual([]);
    expect(config.maintenance).toEqual([{
      checks: 'queue.*', start: { hour: 2, minute: 0 }, duration: 5_400_000, every: { weekdays: [0, 6] }, timezone: 'Europe/Berlin', reason: 'upgrade',
    }]);
    expect(maintenancePatterns(config.maintenance)).toEqual([{ pattern: 'queue.*', path: 'maintenance.0.checks' }]);
  });

  it('reports every problem of every window at once, with paths', () => {
    expect(problems(`
maintenance:
  - {checks: "*", start: "2026-02-30 02:00", duration: soon, timezone: Mars/Olympus, reason: x, colour: red}
  - {checks: "*", start: "02:00", duration: 1h, timezone: UTC}
  - {checks: "*", start: "02:00", every: [mon, funday], duration: 8d, timezone: UTC, reason: x}
  - {checks: "*", every: "*/10 * * * * *", duration: 1h, timezone: UTC, reason: x}
  - {checks: "*", duration: 1h, timezone: UTC, reason: x}
`)).toEqual([
      'maintenance.0.colour: unknown key; known keys: checks, start, duration, every, timezone, reason',
      'maintenance.0.duration: expected a duration like 30s, 5m or 2h, got "soon"',
      'maintenance.0.timezone: expected an IANA timezone like Europe/Berlin or UTC, got "Mars/Olympus"',
      'maintenance.0.start: expected a local date and time YYYY-MM-DD HH:MM (or HH:MM with weekdays), got "2026-02-30 02:00"',
      'maintenance.1.reason: is required',
      'maintenance.1.start: a time of day alone needs `every` with a list of weekdays; otherwise give a date: YYYY-MM-DD HH:MM',
      'maintenance.2.every.1: expected a weekday (mon, tue, ... or monday, ...), got "funday"',
      'maintenance.2.duration: a recurring window lasts at most 7d',
      'maintenance.3.every: expected a five-field cron expression (minute hour day month weekday), got "*/10 * * * * *"',
      'maintenance.4.start: is required (only a cron `every` gives start times by itself)',
    ]);
  });
});
