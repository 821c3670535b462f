// Typed reads of untrusted YAML values. Each read either returns a value or records why not, under its path,
// and returns undefined, so one pass collects every problem.

import { ANY_DURATION, durationBoundsProblem, parseDuration, type DurationBounds } from '../check/duration.js';
import { closest, type Diagnostics } from './diagnostics.js';
import { loadOnUse } from '../load-on-use.js';

/** Loaded by the first schedule read, not by every command that reads a config. */
const cron = loadOnUse<typeof import('node-cron')>('node-cron');

export const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : String(value));

export class ConfigReader {
  constructor(private readonly diagnostics: Diagnostics) {}

  problem(path: string, message: string): undefined {
    this.diagnostics.add(path, message);
    return undefined;
  }

  /** A mapping whose keys must all be known; unknown keys are errors (a typo must not disable a check). */
  mapping(value: unknown, path: string, knownKeys?: readonly string[]): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.problem(path, `expected a mapping, got ${show(value)}`);
    const record = value as Record<string, unknown>;
    if (knownKeys) {
      for (const key of Object.keys(record)) {
        if (knownKeys.includes(key)) continue;
        const suggestion = closest(key, knownKeys);
        this.problem(join(path, key), `unknown key${suggestion ? ` (did you mean ${suggestion}?)` : ''}; known keys: ${knownKeys.join(', ')}`);
      }
    }
    return record;
  }

  string(value: unknown, path: string): string | undefined {
    return typeof value === 'string' && value.length > 0 ? value : this.problem(path, `expected a non-empty string, got ${show(value)}`);
  }

  boolean(value: unknown, path: string): boolean | undefined {
    return typeof value === 'boolean' ? value : this.problem(path, `expected true or false, got ${show(value)}`);
  }

  integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.problem(path, `expected a whole number, got ${show(value)}`);
    if (value < min || value > max) return this.problem(path, `expected a number from ${min} to ${max}, got ${value}`);
    return value;
  }

  /** Milliseconds from a duration with a unit, within bounds (by default anything the code can use). */
  duration(value: unknown, path: string, bounds: DurationBounds = ANY_DURATION): number | undefined {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined) return this.problem(path, `expected a duration like 30s, 5m or 2h, got ${show(value)}`);
    const problem = durationBoundsProblem(value as string, ms, bounds);
    return problem ? this.problem(path, problem) : ms;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T | undefined {
    return options.includes(value as T) ? (value as T) : this.problem(path, `expected one of ${options.join(', ')}, got ${show(value)}`);
  }

  cron(value: unknown, path: string): string | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    return cron().validate(text) ? text : this.problem(path, `expected a cron expression like "*/5 * * * *", got ${show(value)}`);
  }

  list(value: unknown, path: string): unknown[] | undefined {
    return Array.isArray(value) ? value : this.problem(path, `expected a list, got ${show(value)}`);
  }

  stringList(value: unknown, path: string): string[] | undefined {
    const items = this.list(value, path);
    if (!items) return undefined;
    const strings = items.map((item, i) => this.string(item, join(path, i)));
    return strings.every((s): s is string => s !== undefined) ? strings : undefined;
  }
}
