// Pulse for a command: the URL from the config's pulse section (its ${VAR}s resolved now, as secrets), else
// PULSE_URL; the section's namespace and publishResults apply either way. The management API's URL
// (pulse.managementUrl) is resolved the same way, as a secret.

import { ConfigError } from '../config/diagnostics.js';
import { resolvePlaceholders } from '../config/placeholders.js';
import { PulseConnection } from '../pulse/connection.js';
import { PulseResultPublisher } from '../pulse/check-result.js';
import { parseManagementUrl, type ManagementSettings } from '../pulse/management-settings.js';
import { PulseConfigError, pulseSettingsFrom, type PulseSettings } from '../pulse/settings.js';
import type { RunReporter } from '../report/reporter.js';
import type { CommandSetup } from './setup.js';

export interface CommandPulse {
  connection: PulseConnection;
  /** Publishes each result when pulse.publishResults is on. */
  reporters: RunReporter[];
}

export function pulseForCommand(setup: CommandSetup): CommandPulse | undefined {
  const { config, env, redactor } = setup;
  const source = config.file ?? 'environment';
  const written = config.pulse?.url;
  const at = written !== undefined ? 'pulse.url' : 'PULSE_URL';
  // A section that only configures the management API needs no AMQP URL.
  const managementOnly = config.pulse?.managementUrl !== undefined && config.pulse.namespace === undefined && !config.pulse.publishResults;
  if (config.pulse && written === undefined && !env.PULSE_URL && !managementOnly) {
    throw new ConfigError(source, [{ path: 'pulse.url', message: 'is not set, and neither is PULSE_URL (amqps://user:password@host/vhost)' }]);
  }
  let settings;
  try {
    const url = written !== undefined ? resolvePlaceholders(written, env, { path: 'pulse.url', source, redactor, secret: true }) : undefined;
    settings = pulseSettingsFrom(config.pulse ? { ...config.pulse, ...(url !== undefined && { url }) } : undefined, env);
  } catch (error) {
    if (error instanceof PulseConfigError) throw new ConfigError(source, [{ path: at, message: error.message }]);
    throw error;
  }
  if (!settings) return undefined;
  redactor.add(settings.password);
  const connection = new PulseConnection(settings);
  const reporters = config.pulse?.publishResults
    ? [new PulseResultPublisher(connection, (error, checkId) => {
        process.stderr.write(`could not publish the result of ${checkId} to Pulse: ${redactor.redact(error instanceof Error ? error.message : String(error))}\n`);
      })]
    : [];
  return { connection, reporters };
}

/** The management API's settings, for the queues of the Pulse URL's vhost (else "/"); undefined without pulse.managementUrl. */
export function pulseManagementForCommand(setup: CommandSetup, amqp: PulseSettings | undefined): ManagementSettings | undefined {
  const { config, env, redactor } = setup;
  const written = config.pulse?.managementUrl;
  if (written === undefined) return undefined;
  const source = config.file ?? 'environment';
  const url = resolvePlaceholders(written, env, { path: 'pulse.managementUrl', source, redactor, secret: true });
  try {
    const settings = parseManagementUrl(url, amqp?.vhost ?? '/');
    redactor.add(settings.password);
    return settings;
  } catch (error) {
    if (error instanceof PulseConfigError) throw new ConfigError(source, [{ path: 'pulse.managementUrl', message: error.message }]);
    throw error;
  }
}
