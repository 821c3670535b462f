// How a message goes out through the deployment's notify service: which API method, the request body its
// schema accepts, and the one scope the call needs (as the notify API declares it).

import type { NotifyTarget } from '../config/alerts.js';
import type { AlertMessage } from './message.js';

export type NotifyMethod = 'matrix' | 'slack' | 'email' | 'pulse';
type NotifyServiceTarget = Exclude<NotifyTarget, { channel: 'webhook' }>;

export interface NotifyRequest {
  method: NotifyMethod;
  body: Record<string, unknown>;
  scope: string;
}

/** The email schema's limits. */
const SUBJECT_MAX = 255;
const LINK_TEXT = 'Open in tc-canary';

/** The scope the notify service checks for a target; a webhook needs none. */
export function scopeFor(target: NotifyTarget): string | undefined {
  switch (target.channel) {
    case 'matrix': return `notify:matrix-room:${target.roomId}`;
    case 'slack': return `notify:slack-channel:${target.channelId}`;
    case 'email': return `notify:email:${target.address}`;
    case 'pulse': return `notify:pulse:${target.routingKey}`;
    case 'webhook': return undefined;
  }
}

export function notifyRequest(target: NotifyServiceTarget, message: AlertMessage): NotifyRequest {
  const scope = scopeFor(target)!;
  switch (target.channel) {
    case 'matrix':
      // m.notice: bots' messages, which clients show quieter and other bots do not answer.
      return { method: 'matrix', scope, body: { roomId: target.roomId, msgtype: 'm.notice', body: `${message.title}\n${message.text}` } };
    case 'slack':
      return { method: 'slack', scope, body: { channelId: target.channelId, text: `${message.title}\n${message.text}` } };
    case 'email': {
      const body: Record<string, unknown> = { address: target.address, subject: message.title.slice(0, SUBJECT_MAX), content: message.text };
      if (message.dashboardUrl) body.link = { text: LINK_TEXT, href: message.dashboardUrl };
      return { method: 'email', scope, body };
    }
    case 'pulse':
      // Subscribers get the structured message; the notify service publishes it as {version: 1, message}.
      return { method: 'pulse', scope, body: { routingKey: target.routingKey, message: { ...message } } };
  }
}
