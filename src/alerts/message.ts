// What an alert says, once, as plain data: every destination renders this (chat text, email, Pulse and
// webhook JSON). A failure reads the same as on the console and in JUnit (src/report/format.ts).

import type { CheckResult, Outcome } from '../check/result.js';
import { deploymentName, failureDetails } from '../report/format.js';
import type { AlertState, Transition } from './transition.js';
import { formatElapsed } from '../check/duration.js';
import { versionChangeNote, type VersionChange } from './version-change.js';

export type AlertKind = Transition | 'test';

export interface MetricOverLimit {
  name: string;
  value: number;
  unit: string;
  limit: number;
}

/** The body of Pulse and webhook messages; docs/alerts.md documents it. */
export interface AlertMessage {
  kind: AlertKind;
  checkId: string;
  description: string;
  rootUrl: string;
  /** The incident's number for this check (1 for its first alert ever); 0 in a test message. */
  incident: number;
  /** ISO: the latest result's start (for a test message, when it was sent). */
  at: string;
  /** ISO: when the check started failing (its first failed result of the incident). */
  since?: string;
  consecutiveFailures?: number;
  outcome?: Outcome;
  /** The failing step and error, metrics over their limits, the attempts: one line each. */
  details: string[];
  metricsOverLimit: MetricOverLimit[];
  /** `<alerts.dashboardUrl>/checks/<id>`, when the dashboard URL is configured. */
  dashboardUrl?: string;
  /** When the incident began within an hour of the deployment's version change: that version and its first run (ISO). */
  versionChange?: { version: string; at: string };
  /** One line for subjects and notification previews. */
  title: string;
  /** The whole message for people, in plain text (valid Markdown too). */
  text: string;
}

export interface MessageContext {
  rootUrl: string;
  dashboardUrl?: string;
  /** The deployment's newest version change before the result, if any. */
  versionChange?: VersionChange;
}

const HEADLINE: Record<AlertKind, string> = {
  firing: 'FAILING',
  reminder: 'STILL FAILING',
  recovered: 'RECOVERED',
  test: 'TEST',
};

function dashboardLink(context: MessageContext, checkId: string): string | undefined {
  return context.dashboardUrl ? `${context.dashboardUrl}/checks/${encodeURIComponent(checkId)}` : undefined;
}

/**
 * The message for a transition. `before` is the state the result found (it still knows when the incident
 * began when the check has just recovered); `after` the state it left.
 */
export function alertMessage(transition: Transition, result: CheckResult, before: AlertState, after: AlertState, context: MessageContext): AlertMessage {
  const at = result.startedAt;
  const sinceMs = transition === 'recovered' ? before.sinceMs : after.sinceMs;
  const since = sinceMs === null ? at : new Date(sinceMs).toISOString();
  const where = deploymentName(context.rootUrl);
  const metricsOverLimit = Object.entries(result.metrics)
    .filter(([, metric]) => metric.ok === false && metric.limit !== undefined)
    .map(([name, metric]) => ({ name, value: metric.value, unit: metric.unit, limit: metric.limit! }));
  const details = failureDetails(result);
  const link = dashboardLink(context, result.id);

  const downFor = formatElapsed(Date.parse(at) - Date.parse(since));
  const note = versionChangeNote(context.versionChange, Date.parse(since));
  const afterRelease = note ? ` (${note})` : '';
  const summary = {
    firing: `${result.id} is failing on ${where}: ${after.consecutiveFailures} failed results in a row since ${since}${afterRelease}.`,
    reminder: `${result.id} is still failing on ${where}, for ${downFor} now (since ${since}; ${after.consecutiveFailures} failed results in a row).`,
    recovered: `${result.id} passes again on ${where} (${at}), after failing for ${downFor} (since ${since}).`,
  }[transition];
  const lines = [summary, `Check: ${result.description}`, ...details.map((line) => `- ${line}`)];
  if (link) lines.push(`Dashboard: ${link}`);

  const message: AlertMessage = {
    kind: transition,
    checkId: result.id,
    description: result.description,
    rootUrl: context.rootUrl,
    incident: after.incident,
    at,
    since,
    outcome: result.outcome,
    details,
    metricsOverLimit,
    title: `[tc-canary] ${HEADLINE[transition]} ${result.id} on ${where}`,
    text: lines.join('\n'),
  };
  if (transition !== 'recovered') message.consecutiveFailures = after.consecutiveFailures;
  if (link) message.dashboardUrl = link;
  if (note) message.versionChange = { version: context.versionChange!.version, at: new Date(context.versionChange!.atMs).toISOString() };
  return message;
}

/** What `tc-canary alerts test` sends: says which route it came through, and changes nothing. */
export function testMessage(routeIndex: number, pattern: string, now: number, context: MessageContext): AlertMessage {
  const at = new Date(now).toISOString();
  const where = deploymentName(context.rootUrl);
  const message: AlertMessage = {
    kind: 'test',
    checkId: pattern,
    description: `alert route ${routeIndex} (checks: ${pattern})`,
    rootUrl: context.rootUrl,
    incident: 0,
    at,
    details: [],
    metricsOverLimit: [],
    title: `[tc-canary] ${HEADLINE.test} alert route ${routeIndex} for ${where}`,
    text: `A test of tc-canary alert route ${routeIndex} (checks: ${pattern}) for ${where}, sent ${at}. If you read this, alerts for these checks reach you here.`,
  };
  const link = context.dashboardUrl;
  if (link) message.dashboardUrl = link;
  return message;
}
