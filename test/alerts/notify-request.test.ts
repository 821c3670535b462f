import { describe, expect, it } from 'vitest';
import { alertMessage, testMessage, type AlertMessage } from '../../src/alerts/message.js';
import { notifyRequest, scopeFor } from '../../src/alerts/notify-request.js';
import { initialState } from '../../src/alerts/transition.js';
import type { NotifyTarget } from '../../src/config/alerts.js';
import { T0, checkResult } from '../history/results.js';
import { fixture } from '../support/deployment.js';

const TARGETS: Array<Exclude<NotifyTarget, { channel: 'webhook' }>> = [
  { channel: 'matrix', roomId: '!whDRjjSmICCgrhFHsQ:mozilla.org' },
  { channel: 'slack', channelId: 'C123456GZ' },
  { channel: 'email', address: 'ops@example.test' },
  { channel: 'pulse', routingKey: 'project.tc-canary.alerts' },
];

/** The request fields each notify method accepts and requires (its v1 request schema; additional ones are refused). */
const REQUEST_FIELDS: Record<string, { required: string[]; allowed: string[] }> = {
  matrix: { required: ['roomId', 'body'], allowed: ['roomId', 'body', 'format', 'formattedBody', 'msgtype'] },
  slack: { required: ['channelId', 'text'], allowed: ['channelId', 'text', 'blocks', 'attachments'] },
  email: { required: ['address', 'subject', 'content'], allowed: ['address', 'subject', 'content', 'link', 'replyTo', 'template'] },
  pulse: { required: ['routingKey', 'message'], allowed: ['routingKey', 'message'] },
};

function firing(dashboardUrl?: string): AlertMessage {
  const result = checkResult({ id: 'queue.built-in-succeed', outcome: 'failed', at: T0, error: { kind: 'sla', message: 'claim SLA exceeded: pending after 60 s', step: 'wait for claim' } });
  const before = { ...initialState(result.id), consecutiveFailures: 1, sinceMs: T0 - 60_000 };
  const after = { ...before, status: 'firing' as const, consecutiveFailures: 2, incident: 3 };
  return alertMessage('firing', result, before, after, dashboardUrl ? { rootUrl: 'https://tc.example.test', dashboardUrl } : { rootUrl: 'https://tc.example.test' });
}

describe('notify requests', () => {
  it('asks for exactly the scope the installed client\'s API reference declares for each method', async () => {
    // The client's own copy of the notify API reference: the scope templates the service enforces.
    const apis = (await import(new URL('../../node_modules/taskcluster-client/src/apis.js', import.meta.url).href)).default;
    const entries: Array<{ name: string; scopes: string }> = apis.Notify.reference.entries;
    for (const target of TARGETS) {
      const request = notifyRequest(target, firing());
      const template = entries.find((entry) => entry.name === request.method)!.scopes;
      const expected = template.replace(/<([a-zA-Z]+)>/g, (_, field: string) => String(request.body[field]));
      expect(request.scope).toBe(expected);
      expect(scopeFor(target)).toBe(expected);
    }
    expect(scopeFor({ channel: 'webhook', url: 'https://hooks.example.test/x' })).toBeUndefined();
  });

  it('builds bodies the notify request schemas accept', () => {
    for (const message of [firing('https://canary.example.test'), firing(), testMessage(0, 'ping.*', T0, { rootUrl: 'https://tc.example.test' })]) {
      for (const target of TARGETS) {
        const { method, body } = notifyRequest(target, message);
        const fields = REQUEST_FIELDS[method]!;
        for (const key of fields.required) expect(body, `${method}.${key}`).toHaveProperty(key);
        expect(Object.keys(body).filter((key) => !fields.allowed.includes(key)), method).toEqual([]);
      }
    }
    const email = notifyRequest(TARGETS[2]!, { ...firing('https://canary.example.test'), title: 'x'.repeat(300) }).body;
    expect((email.subject as string).length).toBe(255);
    expect(email.link).toEqual({ text: 'Open in tc-canary', href: 'https://canary.example.test/checks/queue.built-in-succeed' });
    expect(notifyRequest(TARGETS[2]!, firing()).body).not.toHaveProperty('link');
  });

  it('publishes through notify.pulse a message that Pulse subscribers receive in the recorded v74 shape', () => {
    const recorded = fixture('pulse-notify-notification.json');
    const { body } = notifyRequest(TARGETS[3]!, firing());
    // What the notify service publishes for a pulse request, as recorded from v74: {version: 1, message}
    // on exchange/taskcluster-notify/v1/notification with routing key primary.<routingKey>, CC route.<routingKey>.
    const published = { routingKey: `primary.${body.routingKey}`, CC: [`route.${body.routingKey}`], body: { message: body.message, version: 1 } };
    expect(Object.keys(published.body).sort()).toEqual(Object.keys(recorded.body).sort());
    expect(recorded.routingKey.startsWith('primary.')).toBe(true);
    expect(recorded.CC[0]).toBe(recorded.routingKey.replace(/^primary\./, 'route.'));
    expect(published.body.message).toMatchObject({
      kind: 'firing', checkId: 'queue.built-in-succeed', incident: 3, since: new Date(T0 - 60_000).toISOString(), at: new Date(T0).toISOString(),
      details: ['step "wait for claim": claim SLA exceeded: pending after 60 s'],
    });
    // Plain JSON: it travels as-is.
    expect(JSON.parse(JSON.stringify(published.body.message))).toEqual(published.body.message);
  });
});
