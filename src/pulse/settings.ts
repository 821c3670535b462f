// Where Pulse is and who we are on it, parsed from `amqps://user:password@host[:port]/vhost`. The password
// stays inside this object: everything that is shown uses `redactedUrl`.

import { isIP } from 'node:net';

/** The `pulse:` section of the config; the URL may come from PULSE_URL instead. */
export interface PulseConfig {
  url?: string;
  /** Defaults to the URL's user, as Pulse names users after their namespace. */
  namespace?: string;
}

export interface PulseSettings {
  protocol: 'amqp' | 'amqps';
  hostname: string;
  port: number;
  username: string;
  /** Secret: never shown; register it with the redactor. */
  password: string;
  vhost: string;
  namespace: string;
  /** `amqps://user:***@host:port/vhost`: the only form of the URL that appears in messages. */
  redactedUrl: string;
  /** From the URL's query, as Taskcluster's own Pulse URLs carry them (`?frameMax=0`). */
  frameMax?: number;
  heartbeatSeconds?: number;
}

/** A Pulse URL or namespace that cannot be used; the message never contains the password. */
export class PulseConfigError extends Error {
  override readonly name = 'PulseConfigError';
}

const DEFAULT_PORTS = { amqp: 5672, amqps: 5671 } as const;

/** The Pulse settings from the config, else from PULSE_URL; undefined when neither names a URL. */
export function pulseSettingsFrom(config: PulseConfig | undefined, env: NodeJS.ProcessEnv): PulseSettings | undefined {
  const url = config?.url ?? env.PULSE_URL;
  if (!url) return undefined;
  return parsePulseUrl(url, config?.namespace);
}

export function parsePulseUrl(url: string, namespace?: string): PulseSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The raw string may hold the password: describe its shape, never echo it.
    throw new PulseConfigError('the Pulse URL is not a URL: expected amqps://user:password@host[:port]/vhost');
  }
  const protocol = parsed.protocol.slice(0, -1);
  if (protocol !== 'amqp' && protocol !== 'amqps') {
    throw new PulseConfigError(`the Pulse URL must start with amqps:// or amqp://, not ${protocol}://`);
  }
  const username = decodeURIComponent(parsed.username);
  if (!username) throw new PulseConfigError('the Pulse URL has no user: expected amqps://user:password@host[:port]/vhost');
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!hostname) throw new PulseConfigError('the Pulse URL has no host');
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[protocol];
  const vhost = decodeURIComponent(parsed.pathname.slice(1)) || '/';
  const ns = namespace ?? username;
  if (!/^[A-Za-z0-9_.-]+$/.test(ns)) throw new PulseConfigError(`the Pulse namespace "${ns}" may only contain letters, digits, "_", "." and "-"`);

  const hostForUrl = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  const settings: PulseSettings = {
    protocol,
    hostname,
    port,
    username,
    password: decodeURIComponent(parsed.password),
    vhost,
    namespace: ns,
    redactedUrl: `${protocol}://${encodeURIComponent(username)}:***@${hostForUrl}:${port}/${encodeURIComponent(vhost)}`,
  };
  const frameMax = integerQuery(parsed, 'frameMax');
  if (frameMax !== undefined) settings.frameMax = frameMax;
  const heartbeat = integerQuery(parsed, 'heartbeat');
  if (heartbeat !== undefined) settings.heartbeatSeconds = heartbeat;
  return settings;
}

function integerQuery(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw new PulseConfigError(`the Pulse URL's ${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}
