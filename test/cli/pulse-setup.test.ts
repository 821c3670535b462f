import { describe, expect, it } from 'vitest';
import { pulseForCommand, pulseManagementForCommand } from '../../src/cli/pulse-setup.js';
import type { CommandSetup } from '../../src/cli/setup.js';
import { ConfigError } from '../../src/config/diagnostics.js';
import { defaultConfig, type PulseConfig } from '../../src/config/types.js';
import { Redactor } from '../../src/redact.js';

const PASSWORD = 'pulse-password-123';
const setupWith = (pulse: PulseConfig | undefined, env: NodeJS.ProcessEnv) =>
  ({ config: { ...defaultConfig(), file: 'tc-canary.yml', ...(pulse && { pulse }) }, env, redactor: new Redactor() }) as unknown as CommandSetup;

describe('Pulse for a command', () => {
  it('takes the URL from PULSE_URL when the pulse section names none, with the section\'s namespace', async () => {
    const setup = setupWith({ namespace: 'team-canary', publishResults: false, queues: [] }, { PULSE_URL: `amqp://canary:${PASSWORD}@127.0.0.1/vhost` });
    const pulse = pulseForCommand(setup)!;
    expect(pulse.connection.namespace).toBe('team-canary');
    expect(setup.redactor.redact(`password ${PASSWORD}`)).not.toContain(PASSWORD);
    await pulse.connection.close();
  });

  it('is a config error naming pulse.url when the section names no URL and PULSE_URL is not set either', () => {
    let error: unknown;
    try {
      pulseForCommand(setupWith({ publishResults: true, queues: [] }, {}));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics).toEqual([{ path: 'pulse.url', message: 'is not set, and neither is PULSE_URL (amqps://user:password@host/vhost)' }]);
  });

  it('has no Pulse without a section and without PULSE_URL', () => {
    expect(pulseForCommand(setupWith(undefined, {}))).toBeUndefined();
  });
});

describe('the Pulse management API for a command', () => {
  const MANAGEMENT_PASSWORD = 'management-password-456';
  const managementOnly = (managementUrl: string) => ({ publishResults: false, queues: [], managementUrl });

  it('resolves pulse.managementUrl\'s ${VAR}s as secrets, for the vhost of the Pulse URL, and needs no Pulse URL itself', async () => {
    const setup = setupWith(managementOnly('${PULSE_MANAGEMENT_URL}'), { PULSE_MANAGEMENT_URL: `https://monitor:${MANAGEMENT_PASSWORD}@pulse.example.test/` });
    expect(pulseForCommand(setup)).toBeUndefined();
    const settings = pulseManagementForCommand(setup, undefined)!;
    expect(settings).toMatchObject({ baseUrl: 'https://pulse.example.test/', username: 'monitor', vhost: '/', redactedUrl: 'https://monitor:***@pulse.example.test/' });
    expect(setup.redactor.redact(`${MANAGEMENT_PASSWORD} and ${encodeURIComponent(MANAGEMENT_PASSWORD)}`)).toBe('*** and ***');

    const withPulse = setupWith({ ...managementOnly(`https://monitor:${MANAGEMENT_PASSWORD}@pulse.example.test/rabbitmq`), url: `amqp://canary:${PASSWORD}@127.0.0.1/communitytc` }, {});
    const pulse = pulseForCommand(withPulse)!;
    expect(pulseManagementForCommand(withPulse, pulse.connection.settings)).toMatchObject({ baseUrl: 'https://pulse.example.test/rabbitmq/', vhost: 'communitytc' });
    await pulse.connection.close();
  });

  it('is a config error naming pulse.managementUrl, never showing the password, when the URL is unusable or its variable unset', () => {
    const problemsOf = (setup: CommandSetup) => {
      try {
        pulseManagementForCommand(setup, undefined);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).diagnostics;
      }
      throw new Error('expected a config error');
    };
    expect(problemsOf(setupWith(managementOnly('${PULSE_MANAGEMENT_URL}'), {}))).toEqual([{ path: 'pulse.managementUrl', message: 'environment variable PULSE_MANAGEMENT_URL is not set' }]);
    const noUser = problemsOf(setupWith(managementOnly('${PULSE_MANAGEMENT_URL}'), { PULSE_MANAGEMENT_URL: `https://:${MANAGEMENT_PASSWORD}@pulse.example.test/` }));
    expect(noUser).toEqual([{ path: 'pulse.managementUrl', message: 'the management URL has no user: expected https://user:password@host[:port]' }]);
    expect(JSON.stringify(noUser)).not.toContain(MANAGEMENT_PASSWORD);
  });

  it('is absent without pulse.managementUrl', () => {
    expect(pulseManagementForCommand(setupWith(undefined, {}), undefined)).toBeUndefined();
  });
});
