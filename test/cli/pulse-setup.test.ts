import { describe, expect, it } from 'vitest';
import { pulseForCommand } from '../../src/cli/pulse-setup.js';
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
