import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../src/catalogue/load.js';
import { matchesPattern } from '../../src/catalogue/pattern.js';
import { selectChecks } from '../../src/catalogue/select.js';
import type { AnyCheck } from '../../src/check/define.js';
import { ConfigError } from '../../src/config/diagnostics.js';

const env = { services: ['queue'], pools: [] };

function checksDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-checks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function catalogueOf(...checks: Array<Partial<AnyCheck> & { id: string }>): Catalogue {
  const all = checks.map((c) => ({ description: c.id, async run() {}, ...c })) as AnyCheck[];
  return { checks: all, byId: new Map(all.map((c) => [c.id, c])) };
}

describe('patterns', () => {
  it('match whole ids, with * spanning dots and slashes', () => {
    expect(matchesPattern('ping.queue', 'ping.*')).toBe(true);
    expect(matchesPattern('pool.proj/linux.claim', 'pool.*.claim')).toBe(true);
    expect(matchesPattern('ping.queue', 'ping')).toBe(false);
    expect(matchesPattern('xping.queue', 'ping.*')).toBe(false);
    expect(matchesPattern('ping.queue', 'ping.queue')).toBe(true);
    expect(matchesPattern('pingXqueue', 'ping.queue')).toBe(false);
  });
});

describe('catalogue', () => {
  it('loads the built-in checks and extra files from checksDir, plain objects included; untagged functions are helpers', async () => {
    const dir = checksDir({
      'team.mjs': [
        "export const mine = { id: 'team.mine', description: 'mine', async run() {} };",
        // What defineCheckFamily does, written out: a file outside the package may tag a family itself.
        "export const family = Object.assign(({ services }) => services.map((s) => ({ id: `team.${s}`, description: s, async run() {} })), { [Symbol.for('tc-canary.check-family')]: true });",
        "export function helper(list) { return list.at(0); }",
      ].join('\n'),
      'notes.txt': 'not a check',
    });
    const catalogue = await loadCatalogue(env, dir);
    expect(catalogue.byId.has('ping.queue')).toBe(true);
    expect(catalogue.byId.has('team.mine')).toBe(true);
    expect(catalogue.byId.has('team.queue')).toBe(true);
    expect(catalogue.checks.filter((check) => check.id.startsWith('team.')).map((check) => check.id).sort()).toEqual(['team.mine', 'team.queue']);
  });

  it('validates every definition at load, naming the file and export of each problem, all at once', async () => {
    const dir = checksDir({
      'defs.mjs': [
        "export const slow = { id: 'team.slow', description: 'bad timeout', timeout: '5 min', async run() {} };",
        "export const cron = { id: 'team.cron', description: 'bad schedule', schedule: 'every minute', async run() {} };",
        "export const scopes = { id: 'team.scopes', description: 'bad scopes', scopes: [], async run() {} };",
        "export const params = { id: 'team.params', description: 'bad param', params: { limit: 5 }, async run() {} };",
        "export const noRun = { id: 'team.norun', description: 'no run' };",
        "export const list = [{ id: 'team.ok', description: 'ok', async run() {} }, 'text'];",
        "export const VERSION = 3;",
        "export const huge = { id: 'team.huge', description: 'too long', timeout: '2d', async run() {} };",
        "export const early = { id: 'team.early', description: 'bad flag', startsBeforePreflight: 'yes', async run() {} };",
      ].join('\n'),
    });
    const error = await loadCatalogue(env, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).diagnostics.map((d) => `${path.basename(d.path)}: ${d.message}`);
    expect(problems).toEqual([
      'defs.mjs (export slow) team.slow: timeout: expected a duration like "30s" or "5m", got "5 min"',
      'defs.mjs (export cron) team.cron: schedule: expected a cron expression like "*/15 * * * *", got "every minute"',
      'defs.mjs (export scopes) team.scopes: scopes: expected a scope expression (a scope, {AllOf: [...]} or {AnyOf: [...]}), got []',
      'defs.mjs (export params) team.params: params.limit: expected a param.* declaration (param.duration, param.string, param.number, param.boolean)',
      'defs.mjs (export noRun) team.norun: run: expected an async function (ctx) => { ... }',
      'defs.mjs (export list)[1]: is not a check (defineCheck)',
      'defs.mjs (export VERSION): is neither a check (defineCheck), a list of checks nor a family (defineCheckFamily)',
      'defs.mjs (export huge) team.huge: timeout: expected a duration from 1s to 1d, got "2d"',
      'defs.mjs (export early) team.early: startsBeforePreflight: expected true or false',
    ]);
  });

  it('reports duplicate ids, bad ids, unknown dependencies and cycles together', async () => {
    const dir = checksDir({
      'bad.mjs': [
        "export const a = { id: 'ping.queue', description: 'dup', async run() {} };",
        "export const b = { id: 'nodots', description: 'bad id', async run() {} };",
        "export const c = { id: 'x.c', description: 'c', dependsOn: ['x.missing'], async run() {} };",
        "export const d = { id: 'x.d', description: 'd', dependsOn: ['x.e'], async run() {} };",
        "export const e = { id: 'x.e', description: 'e', dependsOn: ['x.d'], async run() {} };",
      ].join('\n'),
    });
    const error = await loadCatalogue(env, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const messages = (error as ConfigError).diagnostics.map((d) => d.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^check id ping\.queue is already defined in .*ping\.ts$/),
      'id "nodots" must be dotted (e.g. team.my-check)',
      'x.c depends on unknown check x.missing',
      'dependency cycle: x.d -> x.e -> x.d',
    ]));
  });

  it('names a check file that cannot be loaded', async () => {
    const dir = checksDir({ 'broken.mjs': 'export const = ;' });
    const error = await loadCatalogue(env, dir).catch((e: unknown) => e);
    expect((error as ConfigError).diagnostics[0]!.message).toMatch(/broken\.mjs cannot be loaded/);
  });
});

describe('selection', () => {
  const catalogue = catalogueOf({ id: 'a.one' }, { id: 'a.two', dependsOn: ['b.base'] }, { id: 'b.base' }, { id: 'c.other' });

  it('runs --check patterns, pulling in dependencies', () => {
    const selection = selectChecks(catalogue, { cliPatterns: ['a.two'], include: [], exclude: [] });
    expect(selection.checks.map((c) => c.id)).toEqual(['a.two', 'b.base']);
  });

  it('reports config exclusions as skipped, unless --check names the id', () => {
    const excluded = selectChecks(catalogue, { cliPatterns: [], include: [], exclude: ['c.*'] });
    expect(excluded.excluded.get('c.other')).toBe('excluded by checks.exclude (c.*)');
    const named = selectChecks(catalogue, { cliPatterns: ['c.other'], include: [], exclude: ['c.*'] });
    expect(named.excluded.size).toBe(0);
  });

  it('treats a --check pattern matching nothing as a usage problem', () => {
    const selection = selectChecks(catalogue, { cliPatterns: ['nope.*'], include: [], exclude: [] });
    expect(selection.problems).toEqual([{ path: '--check', message: '"nope.*" matches no check (see tc-canary list)' }]);
  });
});
