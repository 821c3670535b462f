// Where the broker's management HTTP API is and who we are on it, parsed from
// `https://user:password@host[:port][/prefix]`. The password stays inside this object: requests carry it in
// an Authorization header (fetch refuses URLs with credentials), and everything shown uses `redactedUrl`.

import { PulseConfigError } from './settings.js';

export interface ManagementSettings {
  /** Where `api/` lives, with a trailing slash and without credentials. */
  baseUrl: string;
  username: string;
  /** Secret: never shown; register it with the redactor. */
  password: string;
  /** The vhost whose queues pulse.queue.* reads: the Pulse URL's, else "/". */
  vhost: string;
  /** `https://user:***@host:port/prefix/`: the only form of the URL that appears in messages. */
  redactedUrl: string;
}

export function parseManagementUrl(url: string, vhost: string): ManagementSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The raw string may hold the password: describe its shape, never echo it.
    throw new PulseConfigError('the management URL is not a URL: expected https://user:password@host[:port]');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PulseConfigError(`the management URL must start with https:// or http://, not ${parsed.protocol}//`);
  }
  const username = decodeURIComponent(parsed.username);
  if (!username) throw new PulseConfigError('the management URL has no user: expected https://user:password@host[:port]');
  const password = decodeURIComponent(parsed.password);
  const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  const base = `${parsed.protocol}//${parsed.host}${path}`;
  return {
    baseUrl: base,
    username,
    password,
    vhost,
    redactedUrl: `${parsed.protocol}//${encodeURIComponent(username)}:***@${parsed.host}${path}`,
  };
}
