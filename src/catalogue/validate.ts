// A check definition, checked when its file is loaded: every problem at once, so a checksDir author fixes
// them in one edit instead of meeting them one by one at run time (a timeout that parses to nothing, a
// schedule found bad only when serve starts, scopes that crash `list`).

import cron from 'node-cron';
import { validExpression, type ScopeExpression } from 'taskcluster-lib-scopes';
import { type AnyCheck, type Requirement } from '../check/define.js';
import { TIMEOUT_DURATION, durationBoundsProblem, parseDuration, type DurationBounds } from '../check/duration.js';
import { defaultParams, type ParamSpecs } from '../check/params.js';

export const CHECK_ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_/-]+)+$/;
const REQUIREMENTS: readonly Requirement[] = ['pulse', 'pulse-management'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Looks like an attempt at a check (so a malformed one is reported rather than passed over). */
export function looksLikeCheck(value: unknown): value is Record<string, unknown> {
  return isObject(value) && ('id' in value || 'run' in value);
}

/** The problems of one definition, each a sentence naming the field. */
export function definitionProblems(check: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { id } = check;
  if (typeof id !== 'string' || !CHECK_ID.test(id)) problems.push(`id ${JSON.stringify(id)} must be dotted (e.g. team.my-check)`);
  if (typeof check.description !== 'string' || check.description.trim() === '') problems.push('description: expected a sentence saying what the check verifies');
  if (typeof check.run !== 'function') problems.push('run: expected an async function (ctx) => { ... }');
  if (check.timeout !== undefined) problems.push(...durationProblems('timeout', check.timeout, TIMEOUT_DURATION));
  if (check.schedule !== undefined && (typeof check.schedule !== 'string' || !cron.validate(check.schedule))) {
    problems.push(`schedule: expected a cron expression like "*/15 * * * *", got ${JSON.stringify(check.schedule)}`);
  }
  if (check.retry !== undefined) problems.push(...retryProblems(check.retry));
  if (check.tags !== undefined && !isStringList(check.tags)) problems.push('tags: expected a list of strings');
  if (check.startsBeforePreflight !== undefined && typeof check.startsBeforePreflight !== 'boolean') problems.push('startsBeforePreflight: expected true or false');
  if (check.dependsOn !== undefined && !isStringList(check.dependsOn)) problems.push('dependsOn: expected a list of check ids');
  if (check.requires !== undefined && !(isStringList(check.requires) && check.requires.every((r) => REQUIREMENTS.includes(r as Requirement)))) {
    problems.push(`requires: expected a list of ${REQUIREMENTS.join(', ')}`);
  }
  if (check.watches !== undefined && !(isObject(check.watches) && typeof check.watches.service === 'string' && typeof check.watches.process === 'string')) {
    problems.push('watches: expected {service, process}, e.g. {service: "queue", process: "deadlineResolver"}');
  }
  if (check.leftovers !== undefined && typeof check.leftovers !== 'function') problems.push('leftovers: expected a function (params) => ({tasks, secrets, hooks, indexEntries})');
  const params = check.params === undefined ? {} : check.params;
  const paramProblems = isObject(params) ? Object.entries(params).flatMap(([name, spec]) => paramSpecProblems(name, spec)) : ['params: expected an object of param.* declarations'];
  problems.push(...paramProblems);
  // Scopes and leftovers are computed from the params: only with well-formed params can they be tried.
  if (paramProblems.length === 0) problems.push(...derivedProblems(check, params as ParamSpecs));
  return problems;
}

function durationProblems(field: string, value: unknown, bounds: DurationBounds): string[] {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) return [`${field}: expected a duration like "30s" or "5m", got ${JSON.stringify(value)}`];
  const problem = durationBoundsProblem(value as string, ms, bounds);
  return problem ? [`${field}: ${problem}`] : [];
}

function retryProblems(retry: unknown): string[] {
  if (!isObject(retry)) return ['retry: expected {retries, minDelay?}'];
  const problems: string[] = [];
  if (typeof retry.retries !== 'number' || !Number.isInteger(retry.retries) || retry.retries < 0 || retry.retries > 10) problems.push('retry.retries: expected a whole number from 0 to 10');
  if (retry.minDelay !== undefined) problems.push(...durationProblems('retry.minDelay', retry.minDelay, { minMs: 0, maxMs: TIMEOUT_DURATION.maxMs }));
  return problems;
}

function paramSpecProblems(name: string, spec: unknown): string[] {
  if (!isObject(spec) || typeof spec.parse !== 'function' || typeof spec.type !== 'string' || typeof spec.description !== 'string') {
    return [`params.${name}: expected a param.* declaration (param.duration, param.string, param.number, param.boolean)`];
  }
  return spec.default === undefined ? [`params.${name}: has no default`] : [];
}

function derivedProblems(check: Record<string, unknown>, specs: ParamSpecs): string[] {
  const problems: string[] = [];
  const defaults = defaultParams(specs);
  const tryDerive = (field: string, derive: () => unknown): unknown => {
    try {
      return derive();
    } catch (error) {
      problems.push(`${field}: computing it from the default params threw ${(error as Error).message}`);
      return undefined;
    }
  };
  if (check.scopes !== undefined) {
    const scopes = tryDerive('scopes', () => (typeof check.scopes === 'function' ? check.scopes(defaults) : check.scopes));
    if (scopes !== undefined && !isValidExpression(scopes)) problems.push(`scopes: expected a scope expression (a scope, {AllOf: [...]} or {AnyOf: [...]}), got ${JSON.stringify(scopes)}`);
  }
  if (typeof check.leftovers === 'function') {
    const leftovers = tryDerive('leftovers', () => (check.leftovers as AnyCheck['leftovers'])!(defaults));
    if (leftovers !== undefined && !isObject(leftovers)) problems.push('leftovers: expected the function to return {tasks?, secrets?, hooks?, indexEntries?}');
  }
  return problems;
}

function isValidExpression(expression: unknown): boolean {
  try {
    return validExpression(expression as ScopeExpression);
  } catch {
    return false;
  }
}
