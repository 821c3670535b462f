import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { hooksSchedule } from '../../checks/hooks-schedule.js';
import type { Clock } from '../../src/clock.js';
import { completesAfterOnePoll, fakeQueue, FAST_POLL, runOne } from './task-support.js';
import { fakeHooks, type FakeHooks } from './hooks-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

const MINUTE = 60_000;

/** Schedules at the next whole minute at least this far ahead, instead of 10 s. */
const LEAD = { scheduleLead: 50 };

/**
 * The run's (and the deployment's) clock, set so that the next whole minute at least LEAD ahead, the one the
 * check schedules its hook at, is `untilMinuteMs` away: the test waits that, not up to a minute. The margin
 * must cover the run's start on a loaded machine, or the minute passes first and the hook is due a minute later.
 */
function clockBeforeMinute(untilMinuteMs: number): { clock: Clock; minuteMs: number } {
  const minuteMs = Math.ceil((Date.now() + 20_000) / MINUTE) * MINUTE;
  const shift = minuteMs - untilMinuteMs - Date.now();
  return { clock: { now: () => Date.now() + shift }, minuteMs };
}

/** The hooks scheduler, firing the created hook `lagMs` after its minute (on the shifted clock). */
function schedulerFires(hooks: FakeHooks, clock: Clock, minuteMs: number, lagMs: number, outcome?: { result: 'error'; error: string }): void {
  const timer = setInterval(() => {
    const hook = hooks.created[0];
    if (!hook || clock.now() < minuteMs + lagMs) return;
    hooks.fire(`${hook.hookGroupId}/${hook.hookId}`, minuteMs + lagMs, outcome);
    clearInterval(timer);
  }, 10);
  onTestFinished(() => clearInterval(timer));
}

describe('hooks.schedule', () => {
  it('schedules a hook at the next whole minute, waits for the scheduler to fire it, measures the lag, and removes it', async () => {
    const queue = fakeQueue(completesAfterOnePoll);
    const hooks = fakeHooks(queue);
    const { clock, minuteMs } = clockBeforeMinute(1_500);
    schedulerFires(hooks, clock, minuteMs, 250);
    const result = await runOne(hooksSchedule, { ...FAST_POLL, ...LEAD }, { clock });
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    const [hook] = hooks.created;
    const at = new Date(minuteMs);
    expect(hook!.definition.schedule).toEqual([`0 ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`]);
    expect(hook!.definition.task).toMatchObject({ taskQueueId: 'built-in/succeed', schedulerId: 'tc-canary' });
    expect(result.metrics.schedule_lag_ms).toEqual({ value: 250, unit: 'ms', limit: 90_000, ok: true });
    expect(hooks.removed).toEqual([`project-tc-canary/${hook!.hookId}`]);
    expect(result.resources.map((resource) => resource.type)).toEqual(['hook', 'task']);
    expect(result.watches).toEqual({ service: 'hooks', process: 'scheduler' });
  });

  it('fails naming the hooks scheduler when the hook has not fired within the limit after its minute, and removes it', async () => {
    const hooks = fakeHooks(fakeQueue(completesAfterOnePoll));
    const { clock, minuteMs } = clockBeforeMinute(1_500);
    const result = await runOne(hooksSchedule, { ...FAST_POLL, ...LEAD, scheduleLagSla: 400 }, { clock });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(new RegExp(`^hooks scheduler: hook project-tc-canary/\\w+ has not fired \\d+ms after its scheduled time ${new Date(minuteMs).toISOString().replace(/\./g, '\\.')} \\(limit 400ms\\)$`));
    expect(hooks.removed).toHaveLength(1);
  });

  it('fails when the fire could not create its task, in the hooks service\'s words', async () => {
    const hooks = fakeHooks(fakeQueue(completesAfterOnePoll));
    const { clock, minuteMs } = clockBeforeMinute(1_500);
    schedulerFires(hooks, clock, minuteMs, 50, { result: 'error', error: 'InsufficientScopes: role hook-id:project-tc-canary/x lacks queue:create-task' });
    const result = await runOne(hooksSchedule, { ...FAST_POLL, ...LEAD }, { clock });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/^hooks scheduler: hook project-tc-canary\/\w+ fired but could not create its task: InsufficientScopes: role hook-id/);
    expect(hooks.removed).toHaveLength(1);
  });
});
