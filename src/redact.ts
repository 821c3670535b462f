// The one place that knows which strings are secret. Every string that leaves the process through a result
// (and so through every report, log line, history row and metric label) passes through a Redactor.

const MASK = '***';
/** Shorter values would mask ordinary words; no real token or password is this short. */
const MIN_SECRET_LENGTH = 4;
/** user:password@ in any URL, in case one reaches a message before its secret was registered. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]+:)[^@/?#\s]+@/gi;
/**
 * Request signatures a deployment or a proxy may echo back in an error body (so in a result's message): a Hawk
 * header's attributes (`Hawk id="...", ts="...", nonce="...", mac="..."`; quoted, JSON-escaped or bare), a
 * bewit (a Hawk signature carried in a URL), and the value of any Authorization header or field.
 */
const HAWK_HEADER = /\bHawk((?:\s*,?\s*[a-z]+=(?:\\*"[^"\\]*\\*"|[^\s,"\\]+))+)/gi;
const BEWIT = /\b(bewit=)[^&#\s"'\\]+/gi;
const AUTHORIZATION_VALUE = /\b(authorization\\*"?\s*[:=]\s*\\*"?)(?!\*\*\*)[^"\\\r\n]+/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be shown, e.g. an access token or a resolved ${VAR}. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) {
      this.secrets.add(secret);
      // The same secret often travels URL-encoded (passwords in amqp:// URLs).
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) this.secrets.add(encoded);
    }
  }

  redact(text: string): string {
    let out = text.replace(URL_PASSWORD, `$1${MASK}@`)
      .replace(HAWK_HEADER, `Hawk ${MASK}`)
      .replace(BEWIT, `$1${MASK}`)
      .replace(AUTHORIZATION_VALUE, `$1${MASK}`);
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }

  /** Redacts every string inside plain JSON-like data. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactDeep(item)])) as T;
    }
    return value;
  }
}

/** The password in a URL (amqps://user:password@..., postgres://...), decoded; undefined when there is none. */
export function passwordInUrl(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined; // not a URL, or a malformed %-escape: nothing to register
  }
}
