import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { MaintenanceCalendar, maintenanceOf } from '../../src/maintenance/calendar.js';

function calendar(yaml: string): MaintenanceCalendar {
  const { config, diagnostics } = parseConfig(parse(yaml), undefined);
  expect(diagnostics.list).toEqual([]);
  return new MaintenanceCalendar(config.maintenance);
}

const at = (iso: string) => Date.parse(iso);

describe('maintenance windows in Europe/Berlin across daylight-saving changes', () => {
  // 2026: CET -> CEST on Sunday 29 March at 02:00 local (01:00 UTC); CEST -> CET on Sunday 25 October at 03:00
  // local (01:00 UTC).
  const sundays = calendar(`
maintenance:
  - checks: "queue.*"
    start: "01:30"
    duration: 2h
    every: [sun]
    timezone: Europe/Berlin
    reason: weekly database upgrade
`);

  it('before the spring change, 01:30 CET is 00:30 UTC and a 2h window ends 02:30 UTC', () => {
    expect(sundays.activeWindow('queue.built-in-succeed', at('2026-03-22T00:29:59Z'))).toBeUndefined();
    expect(sundays.activeWindow('queue.built-in-succeed', at('2026-03-22T00:30:00Z'))).toEqual({
      reason: 'weekly database upgrade', start: '2026-03-22T00:30:00.000Z', end: '2026-03-22T02:30:00.000Z', window: 0,
    });
    expect(sundays.activeWindow('queue.built-in-succeed', at('2026-03-22T02:30:00Z'))).toBeUndefined();
  });

  it('on the day of the spring change the window starts at 01:30 CET and lasts two real hours, to 04:30 CEST', () => {
    const window = sundays.activeWindow('queue.dependencies', at('2026-03-29T02:00:00Z'));
    expect(window).toMatchObject({ start: '2026-03-29T00:30:00.000Z', end: '2026-03-29T02:30:00.000Z' });
  });

  it('after the spring change, 01:30 CEST is 23:30 UTC of the day before', () => {
    expect(sundays.activeWindow('queue.dependencies', at('2026-04-04T23:29:00Z'))).toBeUndefined();
    expect(sundays.activeWindow('queue.dependencies', at('2026-04-04T23:30:00Z'))).toMatchObject({ start: '2026-04-04T23:30:00.000Z' });
  });

  it('after the autumn change, 01:30 CET is 00:30 UTC again', () => {
    expect(sundays.activeWindow('queue.dependencies', at('2026-10-24T23:30:00Z'))).toMatchObject({ start: '2026-10-24T23:30:00.000Z' });
    expect(sundays.activeWindow('queue.dependencies', at('2026-11-01T00:15:00Z'))).toBeUndefined();
    expect(sundays.activeWindow('queue.dependencies', at('2026-11-01T00:30:00Z'))).toMatchObject({ start: '2026-11-01T00:30:00.000Z' });
  });

  it('leaves checks the pattern does not match alone, and says nothing on other days', () => {
    expect(sundays.activeWindow('ping.queue', at('2026-03-22T01:00:00Z'))).toBeUndefined();
    expect(sundays.activeWindow('queue.dependencies', at('2026-03-23T01:00:00Z'))).toBeUndefined();
  });

  it('a start inside the spring-forward gap moves forward by the gap: 02:30 becomes 03:30 CEST', () => {
    const gap = calendar(`
maintenance:
  - {checks: "*", start: "2026-03-29 02:30", duration: 30m, timezone: Europe/Berlin, reason: gap}
`);
    expect(gap.activeWindow('ping.queue', at('2026-03-29T01:29:00Z'))).toBeUndefined();
    expect(gap.activeWindow('ping.queue', at('2026-03-29T01:30:00Z'))).toMatchObject({ start: '2026-03-29T01:30:00.000Z', end: '2026-03-29T02:00:00.000Z' });
  });

  it('a start in the autumn overlap means its first occurrence, once: 02:30 CEST, not again at 02:30 CET', () => {
    const overlap = calendar(`
maintenance:
  - {checks: "*", start: "02:30", every: [sunday], duration: 30m, timezone: Europe/Berlin, reason: overlap}
`);
    expect(overlap.activeWindow('ping.queue', at('2026-10-25T00:45:00Z'))).toMatchObject({ start: '2026-10-25T00:30:00.000Z' });
    // 01:45 UTC is 02:45 CET, the second 02:45 of the night: not a second window.
    expect(overlap.activeWindow('ping.queue', at('2026-10-25T01:45:00Z'))).toBeUndefined();
  });
});

describe('weekday lists, cron and one-off windows', () => {
  it('a weekday list covers exactly the listed days, from the start date on', () => {
    const weekdays = calendar(`
maintenance:
  - {checks: "ping.*", start: "2026-06-03 22:00", every: [mon, Wednesday], duration: 1h, timezone: UTC, reason: deploys}
`);
    // 2026-06-01 is a Monday, before the start date.
    expect(weekdays.activeWindow('ping.auth', at('2026-06-01T22:30:00Z'))).toBeUndefined();
    expect(weekdays.activeWindow('ping.auth', at('2026-06-03T22:30:00Z'))).toMatchObject({ reason: 'deploys' });
    expect(weekdays.activeWindow('ping.auth', at('2026-06-04T22:30:00Z'))).toBeUndefined();
    expect(weekdays.activeWindow('ping.auth', at('2026-06-08T22:59:59Z'))).toMatchObject({ start: '2026-06-08T22:00:00.000Z' });
    expect(weekdays.activeWindow('ping.auth', at('2026-06-08T23:00:00Z'))).toBeUndefined();
  });

  it('a cron gives start times in the window timezone, only from its start on', () => {
    const monthly = calendar(`
maintenance:
  - {checks: "*", every: "0 3 1 * *", start: "2026-02-01 00:00", duration: 90m, timezone: America/New_York, reason: monthly patching}
`);
    // 03:00 EST on 1 March is 08:00 UTC; on 1 April (EDT) it is 07:00 UTC.
    expect(monthly.activeWindow('x', at('2026-03-01T08:00:00Z'))).toMatchObject({ start: '2026-03-01T08:00:00.000Z', end: '2026-03-01T09:30:00.000Z' });
    expect(monthly.activeWindow('x', at('2026-04-01T07:10:00Z'))).toMatchObject({ start: '2026-04-01T07:00:00.000Z' });
    expect(monthly.activeWindow('x', at('2026-04-01T08:40:00Z'))).toBeUndefined();
    expect(monthly.activeWindow('x', at('2026-01-01T08:10:00Z'))).toBeUndefined();
  });

  it('a window spanning midnight and a month end is still found after the date changes', () => {
    const night = calendar(`
maintenance:
  - {checks: "*", every: "30 23 L * *", duration: 3h, timezone: Asia/Kolkata, reason: month-end batch}
`);
    // 23:30 IST on 31 May is 18:00 UTC; the window ends 02:30 IST on 1 June (21:00 UTC).
    expect(night.activeWindow('x', at('2026-05-31T20:59:00Z'))).toMatchObject({ start: '2026-05-31T18:00:00.000Z' });
    expect(night.activeWindow('x', at('2026-05-30T20:00:00Z'))).toBeUndefined();
  });

  it('of overlapping windows, the one ending last is reported', () => {
    const both = calendar(`
maintenance:
  - {checks: "*", start: "2026-06-01 10:00", duration: 1h, timezone: UTC, reason: short}
  - {checks: "ping.*", start: "2026-06-01 10:30", duration: 2h, timezone: UTC, reason: long}
`);
    expect(both.activeWindow('ping.queue', at('2026-06-01T10:45:00Z'))).toMatchObject({ reason: 'long', window: 1 });
    expect(both.activeWindow('deployment.version', at('2026-06-01T10:45:00Z'))).toMatchObject({ reason: 'short', window: 0 });
  });

  it('a window includes its start and excludes its end', () => {
    const hour = calendar('maintenance: [{checks: "*", start: "2026-06-01 10:00", duration: 1h, timezone: UTC, reason: r}]');
    expect(hour.activeWindow('x', at('2026-06-01T10:00:00Z'))).toMatchObject({ reason: 'r' });
    expect(hour.activeWindow('x', at('2026-06-01T10:59:59.999Z'))).toMatchObject({ reason: 'r' });
    expect(hour.activeWindow('x', at('2026-06-01T11:00:00Z'))).toBeUndefined();
  });
});

describe('what a result records of its window', () => {
  it('is the reason and the end of the window covering the check, or nothing', () => {
    const of = maintenanceOf(calendar(`
maintenance:
  - checks: "ping.*"
    start: "2026-11-29T10:00"
    duration: 1h
    timezone: UTC
    reason: load balancer swap
`));
    expect(of('ping.queue', at('2026-11-29T10:30:00Z'))).toEqual({ reason: 'load balancer swap', until: '2026-11-29T11:00:00.000Z' });
    expect(of('ping.queue', at('2026-11-29T11:00:00Z'))).toBeUndefined();
    expect(of('queue.built-in-succeed', at('2026-11-29T10:30:00Z'))).toBeUndefined();
  });
});
