// Typed, validated check parameters. A check declares each one with a default; the config may override
// it under checks.params.<check id>.<param>, and the value is checked here, with a reason a person can act on.

import { POSITIVE_DURATION, durationBoundsProblem, parseDuration, type DurationBounds } from './duration.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ParamSpec<T> {
  readonly type: string;
  readonly default: T;
  readonly description: string;
  /** Where the value is configured instead of checks.params, e.g. `pools[].claimSla` for a pool's checks. */
  readonly configuredAt?: string;
  parse(raw: unknown): ParseResult<T>;
}

export type ParamSpecs = Record<string, ParamSpec<unknown>>;
export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: P[K] extends ParamSpec<infer T> ? T : never };

const describe = (raw: unknown): string => (typeof raw === 'string' ? JSON.stringify(raw) : String(raw));

function spec<T>(type: string, defaultValue: T, description: string, parse: (raw: unknown) => ParseResult<T>): ParamSpec<T> {
  return { type, default: defaultValue, description, parse };
}

function parseDurationParam(raw: unknown, bounds: DurationBounds, alternative = ''): ParseResult<number> {
  const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (ms === undefined) return { ok: false, reason: `expected a duration like 30s${alternative}, got ${describe(raw)}` };
  const problem = durationBoundsProblem(raw as string, ms, bounds);
  return problem ? { ok: false, reason: problem } : { ok: true, value: ms };
}

/** Builders for check parameters; every builder takes the default first (durationOrAuto's is `auto`). */
export const param = {
  /**
   * A duration with a unit ("60s", "10m"); the value is in milliseconds. Longer than 0 unless `bounds` say
   * otherwise (a check's durations are limits and waits: zero can never be met).
   */
  duration(defaultValue: string, description: string, bounds: DurationBounds = POSITIVE_DURATION): ParamSpec<number> {
    const defaultMs = parseDuration(defaultValue);
    if (defaultMs === undefined || durationBoundsProblem(defaultValue, defaultMs, bounds)) throw new Error(`invalid default duration ${defaultValue}`);
    return spec('duration', defaultMs, description, (raw) => parseDurationParam(raw, bounds));
  },

  /** A duration, or `auto` (the default): the value that suits the run, as the description says. */
  durationOrAuto(description: string, bounds: DurationBounds = POSITIVE_DURATION): ParamSpec<number | 'auto'> {
    return spec<number | 'auto'>('duration', 'auto', description, (raw) => (raw === 'auto' ? { ok: true, value: 'auto' } : parseDurationParam(raw, bounds, ' or auto')));
  },

  string(defaultValue: string, description: string, pattern?: RegExp): ParamSpec<string> {
    return spec('string', defaultValue, description, (raw) => {
      if (typeof raw !== 'string') return { ok: false, reason: `expected a string, got ${describe(raw)}` };
      if (pattern && !pattern.test(raw)) return { ok: false, reason: `expected a string matching ${pattern}, got ${describe(raw)}` };
      return { ok: true, value: raw };
    });
  },

  number(defaultValue: number, description: string, range: { min?: number; max?: number; integer?: boolean } = {}): ParamSpec<number> {
    return spec('number', defaultValue, description, (raw) => {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { ok: false, reason: `expected a number, got ${describe(raw)}` };
      if (range.integer && !Number.isInteger(raw)) return { ok: false, reason: `expected a whole number, got ${raw}` };
      if (range.min !== undefined && raw < range.min) return { ok: false, reason: `expected at least ${range.min}, got ${raw}` };
      if (range.max !== undefined && raw > range.max) return { ok: false, reason: `expected at most ${range.max}, got ${raw}` };
      return { ok: true, value: raw };
    });
  },

  boolean(defaultValue: boolean, description: string): ParamSpec<boolean> {
    return spec('boolean', defaultValue, description, (raw) =>
      typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, reason: `expected true or false, got ${describe(raw)}` });
  },
};

/**
 * A param of a pool's check whose value is the pool's entry (`pools[].<key>`): the entry is where it is set, so
 * it has one place, and it is listed and read like every other param.
 */
export function fromPoolEntry<T>(key: string, spec: ParamSpec<T>): ParamSpec<T> {
  return { ...spec, configuredAt: `pools[].${key}` };
}

/** The defaults of every declared parameter. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.default])) as ParamValues<P>;
}
