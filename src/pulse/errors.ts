// amqplib's errors, retold so that an operator can act on them: which queue or exchange, which permission
// Pulse grants, which broker (redacted URL). The runner's classification (src/check/errors.ts) reads the
// result: a lost connection and a refused socket are transient; a refusal or a wrong password is not.

import { TransientError } from '../check/errors.js';
import { expectedPermissions } from './names.js';
import type { PulseSettings } from './settings.js';

/** A Pulse problem that another attempt will not fix by itself (a refusal, a login failure, a missing exchange). */
export class PulseError extends Error {
  override readonly name = 'PulseError';
  constructor(
    message: string,
    /** The broker, redacted. */
    readonly url: string,
    /** An AMQP reply name (ACCESS_REFUSED, NOT_FOUND) or a socket code (ECONNREFUSED: then it is transient). */
    readonly code?: string,
    /** The AMQP reply code (403, 404, ...). */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

interface AmqpReply {
  code: number;
  /** The broker's own sentence, e.g. `ACCESS_REFUSED - access to queue 'q' in vhost 'v' refused for user 'u'`. */
  text: string;
  /** ACCESS_REFUSED, NOT_FOUND, CONNECTION_FORCED, ... */
  name: string;
}

// amqplib renders a broker's close frame as `... 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - ..."`.
const REPLY = /(\d{3}) \(([A-Z-]+)\) with message "(.*)"/s;

function amqpReply(error: unknown): AmqpReply | undefined {
  const match = REPLY.exec(messageOf(error));
  if (!match) return undefined;
  return { code: Number(match[1]), name: match[2]!.replace(/-/g, '_'), text: match[3]! };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function socketCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Library and broker texts never contain the password today; this keeps it that way whatever they say. */
function scrub(text: string, settings: PulseSettings): string {
  return settings.password ? text.split(settings.password).join('***') : text;
}

function permissionsHint(settings: PulseSettings): string {
  const { configureWrite, read } = expectedPermissions(settings.username);
  return `Pulse grants user "${settings.username}" configure and write on ${configureWrite} and read on ${read}`;
}

/** Why opening a connection failed. */
export function connectError(error: unknown, settings: PulseSettings): Error {
  const at = `Pulse at ${settings.redactedUrl}`;
  const reply = amqpReply(error);
  if (reply?.code === 403) {
    return new PulseError(`${at} refused the login of user "${settings.username}": wrong user or password (403 ACCESS_REFUSED)`, settings.redactedUrl, 'ACCESS_REFUSED', 403);
  }
  if (reply) {
    return new PulseError(`${at} refused the connection (${reply.code} ${reply.name}): ${scrub(reply.text, settings)}`, settings.redactedUrl, reply.name, reply.code);
  }
  // amqplib reports the broker closing the connection instead of opening the vhost only as a frame mismatch.
  if (messageOf(error).includes('got <ConnectionClose')) {
    return new PulseError(`${at} refused to open vhost "${settings.vhost}" for user "${settings.username}": the user may have no permissions on it`, settings.redactedUrl, 'NOT_ALLOWED', 530);
  }
  // amqplib's own connect timeout carries no code.
  const code = socketCode(error) ?? (messageOf(error).includes('ETIMEDOUT') ? 'ETIMEDOUT' : undefined);
  return new PulseError(`cannot reach ${at}: ${scrub(messageOf(error), settings)}`, settings.redactedUrl, code);
}

/** The connection ended without tc-canary closing it: the broker restarted, the network dropped, a heartbeat was missed. */
export function connectionLost(cause: Error | undefined, settings: PulseSettings): TransientError {
  const reply = amqpReply(cause);
  const reason = reply ? `${reply.code} ${scrub(reply.text, settings)}` : cause ? scrub(messageOf(cause), settings) : 'closed without a reason';
  return new TransientError(`the Pulse connection to ${settings.redactedUrl} dropped (${reason}); the next use reconnects`, {
    url: settings.redactedUrl,
    ...(socketCode(cause) ? { code: socketCode(cause) } : {}),
  });
}

/**
 * Why a channel operation (`declare queue "q"`, `publish to exchange "e"`) failed. `loss` is set when the
 * connection itself went away, which is then the real reason.
 */
export function operationError(error: unknown, operation: string, settings: PulseSettings, loss: TransientError | undefined): Error {
  const reply = amqpReply(error);
  const url = settings.redactedUrl;
  if (reply?.code === 403) {
    return new PulseError(`Pulse refused to ${operation} (403 ACCESS_REFUSED: ${scrub(reply.text, settings)}). ${permissionsHint(settings)}`, url, 'ACCESS_REFUSED', 403);
  }
  if (reply) {
    return new PulseError(`Pulse could not ${operation} (${reply.code} ${reply.name}: ${scrub(reply.text, settings)}) on ${url}`, url, reply.name, reply.code);
  }
  if (loss) return new TransientError(`could not ${operation}: ${loss.message}`, loss.details);
  return new PulseError(`could not ${operation} on ${url}: ${scrub(messageOf(error), settings)}`, url);
}
