import { describe, expect, it } from 'vitest';
import { PulseConfigError, parsePulseUrl, pulseSettingsFrom } from '../../src/pulse/settings.js';

const PASSWORD = 's3cr3t-pw';

describe('parsePulseUrl', () => {
  it('reads an amqps URL with the default TLS port, the user as namespace and a redacted form', () => {
    const settings = parsePulseUrl(`amqps://taskcluster-canary:${PASSWORD}@pulse.mozilla.org/communitytc`);
    expect(settings).toMatchObject({
      protocol: 'amqps',
      hostname: 'pulse.mozilla.org',
      port: 5671,
      username: 'taskcluster-canary',
      password: PASSWORD,
      vhost: 'communitytc',
      namespace: 'taskcluster-canary',
      redactedUrl: 'amqps://taskcluster-canary:***@pulse.mozilla.org:5671/communitytc',
    });
  });

  it('uses port 5672 for amqp, an explicit port when given, and "/" for an empty vhost', () => {
    expect(parsePulseUrl(`amqp://u:${PASSWORD}@localhost`)).toMatchObject({ port: 5672, vhost: '/' });
    expect(parsePulseUrl(`amqp://u:${PASSWORD}@localhost:15672/v`).port).toBe(15672);
  });

  it('decodes percent-encoded parts and keeps them encoded in the redacted URL', () => {
    const settings = parsePulseUrl('amqp://u:p%40ss@localhost/a%2Fb');
    expect(settings.password).toBe('p@ss');
    expect(settings.vhost).toBe('a/b');
    expect(settings.redactedUrl).toBe('amqp://u:***@localhost:5672/a%2Fb');
  });

  it('takes an explicit namespace over the user', () => {
    expect(parsePulseUrl(`amqp://u:${PASSWORD}@h/v`, 'team-x').namespace).toBe('team-x');
  });

  it('reads frameMax and heartbeat from the query, as in Taskcluster Pulse URLs', () => {
    expect(parsePulseUrl(`amqps://u:${PASSWORD}@h:5671/v?frameMax=0&heartbeat=60`)).toMatchObject({ frameMax: 0, heartbeatSeconds: 60 });
  });

  it.each([
    [`http://u:${PASSWORD}@h/v`, 'must start with amqps:// or amqp://'],
    [`amqp://:${PASSWORD}@h/v`, 'has no user'],
    [`not a url ${PASSWORD}`, 'is not a URL'],
    [`amqp://u:${PASSWORD}@h/v?frameMax=big`, 'frameMax must be a whole number'],
  ])('rejects %s without showing the password', (url, reason) => {
    const error = captureError(() => parsePulseUrl(url));
    expect(error).toBeInstanceOf(PulseConfigError);
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('rejects a namespace that cannot be part of queue names and routing keys', () => {
    expect(() => parsePulseUrl(`amqp://u:${PASSWORD}@h/v`, 'a/b')).toThrow(/may only contain/);
  });
});

describe('pulseSettingsFrom', () => {
  it('prefers the config URL, falls back to PULSE_URL, and is undefined when neither is set', () => {
    const env = { PULSE_URL: `amqp://from-env:${PASSWORD}@h/v` };
    expect(pulseSettingsFrom({ url: `amqp://from-config:${PASSWORD}@h/v` }, env)?.username).toBe('from-config');
    expect(pulseSettingsFrom(undefined, env)?.username).toBe('from-env');
    expect(pulseSettingsFrom({ namespace: 'ns' }, env)?.namespace).toBe('ns');
    expect(pulseSettingsFrom(undefined, {})).toBeUndefined();
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
