import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alertPatterns } from '../../src/config/alerts.js';
import { parseConfig } from '../../src/config/parse.js';

function parsed(yaml: string) {
  return parseConfig(parse(yaml), undefined);
}

describe('alerts config', () => {
  it('fills in the defaults: 2 failures, 1 success, a reminder every 4h', () => {
    const { config, diagnostics } = parsed(`
alerts:
  routes:
    - checks: "*"
      notify: [{matrix: {roomId: "!ops:mozilla.org"}}]
`);
    expect(diagnostics.list).toEqual([]);
    expect(config.alerts).toEqual({
      failureThreshold: 2, successThreshold: 1, repeatEvery: 4 * 3_600_000,
      routes: [{ checks: '*', notify: [{ channel: 'matrix', roomId: '!ops:mozilla.org' }] }],
    });
  });

  it('reads every destination kind, a ${VAR} webhook kept as written, and repeatEvery 0', () => {
    const { config, diagnostics } = parsed(`
alerts:
  failureThreshold: 3
  successThreshold: 2
  repeatEvery: 0
  dashboardUrl: https://canary.example.test/
  routes:
    - checks: "queue.*"
      notify:
        - slack: {channelId: C0123ABCD}
        - email: {address: oncall@example.test}
        - pulse: {routingKey: project.tc-canary.alerts}
        - webhook: {url: "\${ALERT_WEBHOOK}"}
`);
    expect(diagnostics.list).toEqual([]);
    expect(config.alerts).toMatchObject({ failureThreshold: 3, successThreshold: 2, repeatEvery: 0, dashboardUrl: 'https://canary.example.test' });
    expect(config.alerts!.routes[0]!.notify).toEqual([
      { channel: 'slack', channelId: 'C0123ABCD' },
      { channel: 'email', address: 'oncall@example.test' },
      { channel: 'pulse', routingKey: 'project.tc-canary.alerts' },
      { channel: 'webhook', url: '${ALERT_WEBHOOK}' },
    ]);
    expect(alertPatterns(config.alerts)).toEqual([{ pattern: 'queue.*', path: 'alerts.routes.0.checks' }]);
  });

  it('reports every problem at once, each with its path', () => {
    const { diagnostics } = parsed(`
alerts:
  failureThreshold: 0
  repeatEvery: often
  dashboardUrl: ftp://canary
  routes:
    - checks: "ping.*"
      notify:
        - matrix: {roomId: ops}
        - slack: {channel: C0123ABCD}
        - email: {address: nobody}
        - webhook: {url: "\${BROKEN"}
        - telegram: {chat: 1}
        - {matrix: {roomId: "!a:b.c"}, slack: {channelId: C0123ABCD}}
    - notify: []
`);
    expect(diagnostics.list.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'alerts.failureThreshold: expected a number from 1 to 1000, got 0',
      'alerts.repeatEvery: expected a duration like 30s, 5m or 2h, got "often"',
      'alerts.dashboardUrl: expected an http(s) URL, got "ftp://canary"',
      'alerts.routes.0.notify.0.matrix.roomId: expected a Matrix room id like !abcdef:mozilla.org, got "ops"',
      'alerts.routes.0.notify.1.slack.channel: unknown key (did you mean channelId?); known keys: channelId',
      'alerts.routes.0.notify.1.slack.channelId: is required',
      'alerts.routes.0.notify.2.email.address: expected an email address, got "nobody"',
      'alerts.routes.0.notify.3.webhook.url: expected an http(s) URL or a ${VAR} reference to one, got "${BROKEN"',
      'alerts.routes.0.notify.4.telegram: unknown key; known keys: matrix, slack, email, pulse, webhook',
      'alerts.routes.0.notify.5: expected exactly one of matrix, slack, email, pulse, webhook',
      'alerts.routes.1.checks: is required: a check-id pattern such as "ping.*" or "*"',
      'alerts.routes.1.notify: lists no destination',
    ]);
  });

  it('needs routes', () => {
    expect(parsed('alerts: {failureThreshold: 2}').diagnostics.list).toEqual([{ path: 'alerts.routes', message: 'is required: a list of {checks: PATTERN, notify: [...]}' }]);
  });
});
