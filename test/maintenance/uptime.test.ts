import { describe, expect, it } from 'vitest';
import { MaintenanceCalendar } from '../../src/maintenance/calendar.js';
import { uptimeOutsideMaintenance } from '../../src/maintenance/uptime.js';

describe('uptime with maintenance set apart', () => {
  const calendar = new MaintenanceCalendar([
    { checks: 'queue.*', start: { date: { year: 2026, month: 6, day: 1 }, hour: 10, minute: 0 }, duration: 3_600_000, timezone: 'UTC', reason: 'upgrade' },
  ]);
  const results = [
    { outcome: 'passed', startedAt: '2026-06-01T09:50:00Z' },
    { outcome: 'failed', startedAt: '2026-06-01T10:00:00Z' },
    { outcome: 'error', startedAt: '2026-06-01T10:30:00Z' },
    { outcome: 'skipped', startedAt: '2026-06-01T10:40:00Z' },
    { outcome: 'failed', startedAt: '2026-06-01T11:00:00Z' },
    { outcome: 'flaky', startedAt: '2026-06-01T11:10:00Z' },
    { outcome: 'aborted', startedAt: '2026-06-01T11:20:00Z' },
  ] as const;

  it('counts results inside a window apart, and the rest as usual', () => {
    const windows = calendar.windowsBetween('queue.dependencies', Date.parse('2026-06-01T00:00:00Z'), Date.parse('2026-06-02T00:00:00Z'));
    expect(uptimeOutsideMaintenance(results, windows)).toEqual({ up: 2, counted: 3, ratio: 2 / 3, inMaintenance: 2 });
  });

  it('a check no window covers counts every result', () => {
    const windows = calendar.windowsBetween('ping.queue', Date.parse('2026-06-01T00:00:00Z'), Date.parse('2026-06-02T00:00:00Z'));
    expect(uptimeOutsideMaintenance(results, windows)).toEqual({ up: 2, counted: 5, ratio: 0.4, inMaintenance: 0 });
  });
});
