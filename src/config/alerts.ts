// The `alerts:` section: when a check's state change is worth telling people, and where to tell them.
// Destinations are the deployment's notify service (matrix, slack, email, pulse) or a plain webhook.

import { parseDuration } from '../check/duration.js';
import { placeholderProblem } from './placeholders.js';
import { join, type ConfigReader } from './reader.js';

export const NOTIFY_CHANNELS = ['matrix', 'slack', 'email', 'pulse', 'webhook'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export type NotifyTarget =
  | { channel: 'matrix'; roomId: string }
  | { channel: 'slack'; channelId: string }
  | { channel: 'email'; address: string }
  | { channel: 'pulse'; routingKey: string }
  /** The URL may be a ${VAR} reference (webhook URLs often carry a token); it is resolved when used. */
  | { channel: 'webhook'; url: string };

export interface AlertRoute {
  /** A check-id pattern: whole ids, `*` matches any characters. */
  checks: string;
  notify: NotifyTarget[];
}

export interface AlertsConfig {
  /** Consecutive failed/errored results that make a check alert. */
  failureThreshold: number;
  /** Consecutive passing results that end an alert. */
  successThreshold: number;
  /** Milliseconds between reminders while a check stays down; 0 sends none. */
  repeatEvery: number;
  /** Public base URL of `tc-canary serve`, for the link to `<dashboardUrl>/checks/<id>` in messages. */
  dashboardUrl?: string;
  routes: AlertRoute[];
}

export const ALERT_DEFAULTS = { failureThreshold: 2, successThreshold: 1, repeatEvery: parseDuration('4h')! };

const ALERTS_KEYS = ['failureThreshold', 'successThreshold', 'repeatEvery', 'dashboardUrl', 'routes'] as const;
const ROUTE_KEYS = ['checks', 'notify'] as const;

/** Each channel's one key and what a valid value looks like (the notify service's own rules). */
const TARGET_FIELDS: Record<NotifyChannel, { key: string; valid: (value: string) => boolean; expected: string }> = {
  // The notify service wants the full room id with its leading "!", as in its scope notify:matrix-room:<roomId>.
  matrix: { key: 'roomId', valid: (v) => /^![^:\s]+:\S+$/.test(v), expected: 'a Matrix room id like !abcdef:mozilla.org' },
  slack: { key: 'channelId', valid: (v) => /^[A-Z][A-Z0-9]{2,}$/.test(v), expected: 'a Slack channel id like C0123456789' },
  email: { key: 'address', valid: (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), expected: 'an email address' },
  pulse: { key: 'routingKey', valid: (v) => v.length <= 255 && !/\s/.test(v), expected: 'a routing key of at most 255 characters without spaces' },
  webhook: { key: 'url', valid: isWebhookUrl, expected: 'an http(s) URL or a ${VAR} reference to one' },
};

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

function isWebhookUrl(value: string): boolean {
  return value.includes('${') ? placeholderProblem(value) === undefined : isHttpUrl(value);
}

export function readAlerts(read: ConfigReader, value: unknown): AlertsConfig | undefined {
  const raw = read.mapping(value, 'alerts', ALERTS_KEYS);
  if (!raw) return undefined;
  const alerts: AlertsConfig = { ...ALERT_DEFAULTS, routes: [] };
  if (raw.failureThreshold !== undefined) alerts.failureThreshold = read.integer(raw.failureThreshold, 'alerts.failureThreshold', 1, 1000) ?? alerts.failureThreshold;
  if (raw.successThreshold !== undefined) alerts.successThreshold = read.integer(raw.successThreshold, 'alerts.successThreshold', 1, 1000) ?? alerts.successThreshold;
  if (raw.repeatEvery !== undefined) {
    // `0` (a number, as people write it) turns reminders off, like "0s".
    alerts.repeatEvery = raw.repeatEvery === 0 ? 0 : read.duration(raw.repeatEvery, 'alerts.repeatEvery') ?? alerts.repeatEvery;
  }
  if (raw.dashboardUrl !== undefined) {
    const url = read.string(raw.dashboardUrl, 'alerts.dashboardUrl');
    if (url !== undefined && !isHttpUrl(url)) read.problem('alerts.dashboardUrl', `expected an http(s) URL, got ${JSON.stringify(url)}`);
    else if (url !== undefined) alerts.dashboardUrl = url.replace(/\/+$/, '');
  }
  if (raw.routes === undefined) read.problem('alerts.routes', 'is required: a list of {checks: PATTERN, notify: [...]}');
  else alerts.routes = readRoutes(read, raw.routes);
  return alerts;
}

function readRoutes(read: ConfigReader, value: unknown): AlertRoute[] {
  const routes: AlertRoute[] = [];
  (read.list(value, 'alerts.routes') ?? []).forEach((item, i) => {
    const at = join('alerts.routes', i);
    const raw = read.mapping(item, at, ROUTE_KEYS);
    if (!raw) return;
    const checks = raw.checks === undefined ? read.problem(join(at, 'checks'), 'is required: a check-id pattern such as "ping.*" or "*"') : read.string(raw.checks, join(at, 'checks'));
    const notifyAt = join(at, 'notify');
    const items = raw.notify === undefined ? read.problem(notifyAt, 'is required: a list of destinations') : read.list(raw.notify, notifyAt);
    if (items?.length === 0) read.problem(notifyAt, 'lists no destination');
    const notify = (items ?? []).map((target, j) => readTarget(read, target, join(notifyAt, j)));
    if (checks !== undefined) routes.push({ checks, notify: notify.filter((t): t is NotifyTarget => t !== undefined) });
  });
  return routes;
}

function readTarget(read: ConfigReader, value: unknown, at: string): NotifyTarget | undefined {
  const raw = read.mapping(value, at, NOTIFY_CHANNELS);
  if (!raw) return undefined;
  const channels = Object.keys(raw).filter((key): key is NotifyChannel => (NOTIFY_CHANNELS as readonly string[]).includes(key));
  if (channels.length !== 1) {
    if (Object.keys(raw).length === channels.length) read.problem(at, `expected exactly one of ${NOTIFY_CHANNELS.join(', ')}`);
    return undefined;
  }
  const channel = channels[0]!;
  const field = TARGET_FIELDS[channel];
  const channelAt = join(at, channel);
  const inner = read.mapping(raw[channel], channelAt, [field.key]);
  if (!inner) return undefined;
  const text = inner[field.key] === undefined ? read.problem(join(channelAt, field.key), 'is required') : read.string(inner[field.key], join(channelAt, field.key));
  if (text === undefined) return undefined;
  if (!field.valid(text)) return read.problem(join(channelAt, field.key), `expected ${field.expected}, got ${JSON.stringify(text)}`);
  return { channel, [field.key]: text } as NotifyTarget;
}

/** Every check-id pattern the section names, with its path, so the loader can report those matching nothing. */
export function alertPatterns(alerts: AlertsConfig | undefined): Array<{ pattern: string; path: string }> {
  return (alerts?.routes ?? []).map((route, i) => ({ pattern: route.checks, path: join(join('alerts.routes', i), 'checks') }));
}
