// The fake publishes what Taskcluster publishes: given the recorded task's own ids and times, each message
// it builds is the recorded message itself.

import { describe, expect, it } from 'vitest';
import { fixture } from '../support/deployment.js';
import { notificationMessage, taskEventMessage, type TaskEvent } from '../support/fake-taskcluster-pulse.js';

const recordedTask = {
  taskId: 'Nvx5e65rQ32ySmVAmDNoQA',
  routes: ['index.tc-local.probes.succeed', 'route.tc-local.probe'],
  schedulerId: 'tc-local-probes',
  scheduled: '2026-11-29T11:32:31.429Z',
  started: '2026-11-29T11:32:32.318Z',
  resolved: '2026-11-29T11:32:32.353Z',
};

function recording(event: TaskEvent, taskId: string) {
  const { receivedAt: _, ...message } = fixture<any[]>(`pulse-queue-${event}.json`).find((m) => m.body.status.taskId === taskId);
  return message;
}

describe('the fake Taskcluster Pulse messages', () => {
  it.each(['task-defined', 'task-pending', 'task-running', 'task-completed'] as const)('%s equals the recorded message for the recorded task', (event) => {
    expect(taskEventMessage(event, recordedTask)).toEqual(recording(event, recordedTask.taskId));
  });

  it('task-failed equals the recorded built-in/fail message', () => {
    const task = { taskId: 'It0-4p52SkapzrFPHtycbw', routes: [], schedulerId: 'tc-local-probes', scheduled: '2026-11-29T11:32:32.595Z', started: '2026-11-29T11:32:33.369Z', resolved: '2026-11-29T11:32:33.389Z' };
    expect(taskEventMessage('task-failed', task)).toEqual(recording('task-failed', task.taskId));
  });

  it('puts another task\'s ids in the routing key and the status', () => {
    const message = taskEventMessage('task-running', { taskId: 'abc', taskGroupId: 'grp', routes: ['r.1'] }, '2030-01-01T00:00:00.000Z');
    expect(message.routingKey).toBe('primary.abc.0.built-in.succeed.built-in.succeed.tc-canary.grp._');
    expect(message.CC).toEqual(['route.r.1']);
    expect(message.body.status).toMatchObject({ taskId: 'abc', taskGroupId: 'grp', schedulerId: 'tc-canary' });
    expect(message.body.status.runs[0]).toMatchObject({ scheduled: '2030-01-01T00:00:00.000Z', started: '2030-01-01T00:00:00.000Z' });
  });

  it('a notification equals the recorded notify.pulse message', () => {
    const { receivedAt: _, ...recorded } = fixture('pulse-notify-notification.json');
    expect(notificationMessage('tc-local.probe.5b919cfe86df', { nonce: '5b919cfe86df', sentAt: '2026-11-29T11:32:34.869Z' })).toEqual(recorded);
  });
});
