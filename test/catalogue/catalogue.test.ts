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
  it('loads the built-in checks and extra files from checksDir, plain objects included', async () => {
    const dir = checksDir({
      'team.mjs': "export const mine = { id: 'team.mine', description: 'mine', async run() {} };\nexport const family = ({ services }) => services.map((s) => ({ id: `team.${s}`, description: s, async run() {} }));\n",
      'notes.txt': 'not a check',
    });
    const catalogue = await loadCatalogue(env, dir);
    expect(catalogue.byId.has('ping.queue')).toBe(true);
    expect(catalogue.byId.has('team.mine')).toBe(true);
    expect(catalogue.byId.has('team.queue')).toBe(true);
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
      'check id "nodots" must be dotted (e.g. team.my-check)',
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
