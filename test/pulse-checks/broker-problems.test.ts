// Both Pulse checks together, and what goes wrong between tc-canary and the broker: a namespace the user may
// not use, a wrong password, the broker dropping the connection between two checks, and a broker restart.

import { describe, expect, it } from 'vitest';
import { notifyRoundtrip } from '../../checks/pulse-notify-roundtrip.js';
import { taskEvents } from '../../checks/pulse-task-events.js';
import type { RunResult } from '../../src/check/result.js';
import type { PulseConnection } from '../../src/pulse/connection.js';
import { renderJsonReport } from '../../src/report/json.js';
import { missingService, services } from '../support/services.js';
import { canaryConnection, closeConnectionFromBroker, restartBroker } from '../pulse/broker.js';
import { FakeTaskclusterPulse } from '../support/fake-taskcluster-pulse.js';
import { mockNotifyPulse, mockTaskLifecycle, resultOf, runPulseChecks, useBroker } from './harness.js';

const WRONG_PASSWORD = 'not-the-canary-password-5e1f';
const PERMISSIONS = 'Pulse grants user "canary" configure and write on ^(queue/canary/.*|exchange/canary/.*) and read on ^(queue/canary/.*|exchange/.*)';

describe.skipIf(missingService('amqpUrl') || missingService('amqpAdminUrl'))('the Pulse checks on the broker', () => {
  const broker = useBroker();

  it('both pass together on one connection', async () => {
    mockNotifyPulse(broker.taskcluster);
    mockTaskLifecycle(broker.taskcluster);
    const run = await runPulseChecks([notifyRoundtrip, taskEvents], { pulse: broker.pulse });
    expect(run.checks.map((check) => [check.id, check.outcome])).toEqual([['pulse.notify-roundtrip', 'passed'], ['pulse.task-events', 'passed']]);
  });

  /** Both checks on a connection that cannot work: each errors once (nothing to retry) and sends nothing. */
  async function runBothFailing(pulse: PulseConnection): Promise<RunResult> {
    try {
      const notify = mockNotifyPulse(broker.taskcluster);
      const queue = mockTaskLifecycle(broker.taskcluster);
      const run = await runPulseChecks([notifyRoundtrip, taskEvents], { pulse });
      for (const check of run.checks) {
        expect(check.outcome, check.id).toBe('error');
        expect(check.attempts, check.id).toHaveLength(1);
      }
      expect(notify.requests).toEqual([]);
      expect(queue.created).toEqual([]);
      return run;
    } finally {
      await pulse.close();
    }
  }

  it('report a namespace the user may not use, naming the queue and the permissions, before sending anything', async () => {
    const run = await runBothFailing(canaryConnection(services.amqpUrl!, { namespace: 'other' }).pulse);
    for (const check of run.checks) {
      expect(check.error!.message, check.id).toMatch(new RegExp(`^Pulse refused to declare queue "queue/other/tc-canary/${check.id.replace('.', '\\.')}/\\S+" \\(403 ACCESS_REFUSED: .*\\)\\. `));
      expect(check.error!.message, check.id).toContain(PERMISSIONS);
    }
  });

  it('report a wrong password without the password, and send nothing', async () => {
    const url = new URL(services.amqpUrl!);
    url.password = WRONG_PASSWORD;
    // runPulseChecks' redactor knows no secret: the message itself must not carry the password.
    const run = await runBothFailing(canaryConnection(url.href).pulse);
    for (const check of run.checks) {
      expect(check.error!.message, check.id).toBe(
        `Pulse at amqp://canary:***@127.0.0.1:${url.port}/tc-canary-test refused the login of user "canary": wrong user or password (403 ACCESS_REFUSED)`,
      );
    }
    expect(renderJsonReport(run)).not.toContain(WRONG_PASSWORD);
  });

  it('reconnect for the next check after the broker dropped the connection', async () => {
    mockNotifyPulse(broker.taskcluster);
    const first = await runPulseChecks([notifyRoundtrip], { pulse: broker.pulse });
    expect(resultOf(first, 'pulse.notify-roundtrip').outcome).toBe('passed');

    await closeConnectionFromBroker(broker.connectionName, 'broker restarting');

    mockTaskLifecycle(broker.taskcluster);
    const second = await runPulseChecks([taskEvents], { pulse: broker.pulse });
    const result = resultOf(second, 'pulse.task-events');
    expect(result.outcome).toBe('passed');
    expect(result.attempts).toHaveLength(1);
  });

  it('reconnect for the next check after the broker restarted', async () => {
    mockNotifyPulse(broker.taskcluster);
    expect(resultOf(await runPulseChecks([notifyRoundtrip], { pulse: broker.pulse }), 'pulse.notify-roundtrip').outcome).toBe('passed');

    await restartBroker();
    // Taskcluster's side reconnects too: its connection went with the restart.
    const taskcluster = await FakeTaskclusterPulse.connect(services.amqpAdminUrl!);
    try {
      mockTaskLifecycle(taskcluster);
      const result = resultOf(await runPulseChecks([taskEvents], { pulse: broker.pulse }), 'pulse.task-events');
      expect(result.outcome).toBe('passed');
      expect(result.attempts).toHaveLength(1);
    } finally {
      await taskcluster.close();
    }
  }, 120_000);
});
