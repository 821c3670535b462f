import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { configFilePath } from '../../src/config/read.js';
import { resolvePlaceholders } from '../../src/config/placeholders.js';
import { Redactor } from '../../src/redact.js';

function configFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-config-'));
  const file = path.join(dir, 'tc-canary.yml');
  writeFileSync(file, text);
  return file;
}

async function problems(text: string): Promise<string[]> {
  const error = await loadConfig(configFile(text)).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => `${d.path}: ${d.message}`);
}

describe('config loading', () => {
  it('applies defaults when there is no file: all eleven services, concurrency 8', async () => {
    const { config, catalogue } = await loadConfig(undefined);
    expect(config.services).toHaveLength(11);
    expect(config.concurrency).toBe(8);
    expect(catalogue.byId.has('ping.queue')).toBe(true);
    expect(catalogue.byId.has('deployment.version')).toBe(true);
  });

  it('builds one ping check per configured service and applies params', async () => {
    const { catalogue, params } = await loadConfig(configFile(`
services: [queue, auth]
checks:
  params:
    ping.queue:
      timeout: 3s
`));
    expect(catalogue.checks.filter((c) => c.id.startsWith('ping.')).map((c) => c.id)).toEqual(['ping.queue', 'ping.auth']);
    expect(params.get('ping.queue')).toMatchObject({ timeout: 3000, maxResponseTime: 5000 });
    expect(params.get('ping.auth')).toMatchObject({ timeout: 10_000 });
  });

  it('reports every problem at once, each with its path and reason', async () => {
    const found = await problems(`
rootUrl: https://tc.example.test
concurency: 4
services: [queue, quuee]
checks:
  include: [nothing.matches.this]
  params:
    ping.queue:
      timeout: fast
      timeot: 3s
    ping.nope:
      timeout: 3s
pools:
  - taskQueueId: proj/linux
    claimSla: soon
    priority: urgent
`);
    expect(found).toEqual(expect.arrayContaining([
      'concurency: unknown key (did you mean concurrency?); known keys: rootUrl, services, concurrency, checks, checksDir, pools, pulse, history, retention, alerts, maintenance, compare',
      'services.1: expected one of auth, github, hooks, index, notify, object, purge-cache, queue, secrets, web-server, worker-manager, got "quuee"',
      'checks.params.ping.queue.timeout: expected a duration like 30s, got "fast"',
      'checks.params.ping.queue.timeot: unknown parameter (did you mean timeout?); ping.queue takes timeout, maxResponseTime',
      expect.stringMatching(/^checks\.params\.ping\.nope: unknown check id/),
      'pools.0.claimSla: expected a duration like 30s, 5m or 2h, got "soon"',
      'pools.0.priority: expected one of highest, very-high, high, medium, low, very-low, lowest, got "urgent"',
      'checks.include: "nothing.matches.this" matches no check (see tc-canary list)',
    ]));
    expect(found).toHaveLength(8);
  });

  it('rejects a pool priority the queue does not take, the legacy normal with a hint, and a priority on a pool that runs no task', async () => {
    const found = await problems(`
pools:
  - taskQueueId: proj/a
    priority: normal
  - taskQueueId: proj/b
    implementation: none
    priority: high
  - taskQueueId: proj/c
    priority: very-high
`);
    expect(found.sort()).toEqual([
      'pools.0.priority: normal is the queue\'s legacy name for lowest: write lowest',
      'pools.1.priority: a pool with implementation none runs no task, so it takes no priority',
    ]);
  });

  it('reads retention, keeping failures at least as long as other results', async () => {
    const { config } = await loadConfig(configFile('retention:\n  results: 7d\n  aggregates: 730d\n'));
    expect(config.retention).toEqual({ raw: 7 * 86_400_000, failed: 90 * 86_400_000, aggregates: 2 * 365 * 86_400_000 });
    // Failures unset: kept at least as long as the other results.
    expect((await loadConfig(configFile('retention:\n  results: 120d\n'))).config.retention).toMatchObject({ raw: 120 * 86_400_000, failed: 120 * 86_400_000 });
    expect((await loadConfig(configFile('concurrency: 2\n'))).config.retention).toBeUndefined();
    expect(await problems('retention:\n  results: 1h\n')).toEqual(['retention.results: expected a duration from 1d to 3650d, got "1h"']);
    const found = await problems('retention: {results: 40d, failures: 10d, hourly: 365d}\n');
    expect(found.sort()).toEqual([
      'retention.failures: must be at least retention.results: failures are kept longer than other results',
      expect.stringMatching(/^retention\.hourly: unknown key/),
    ]);
  });

  it('gives a pool\'s checks the params of its entry, set there and only there', async () => {
    const pool = 'pools: [{taskQueueId: proj/linux, implementation: generic-worker, claimSla: 5m, maxPending: 7, maxErrors: 2}]\n';
    const { params } = await loadConfig(configFile(pool));
    expect(params.get('pool.proj/linux.claim')).toMatchObject({ claimSla: 300_000, resolveSla: 600_000 });
    expect(params.get('pool.proj/linux.backlog')).toEqual({ maxPending: 7 });
    expect(params.get('pool.proj/linux.provisioning')).toMatchObject({ maxErrors: 2, errorWindow: 3_600_000, strikeAfter: 1_200_000 });
    const twice = `${pool}checks:\n  params:\n    'pool.proj/linux.claim':\n      claimSla: 1m\n`;
    expect(await problems(twice)).toEqual(["checks.params.pool.proj/linux.claim.claimSla: is set in the pool's entry, pools[].claimSla, not in checks.params"]);
  });

  it('reads ${VAR} references in check params from the environment, a whole reference as a YAML scalar', async () => {
    // Block style: inside a flow map ({...}) YAML reads the braces of ${VAR} as its own.
    const text = [
      'pools: [{taskQueueId: proj/linux}]',
      'checks:',
      '  params:',
      '    purge-cache.roundtrip:',
      '      cacheName: ${CACHE}',
      '    secrets.roundtrip:',
      '      secretPrefix: project/${TEAM}/canary',
      '    ping.queue:',
      '      maxResponseTime: ${MAX_RESPONSE}',
      "    'pool.proj/linux.provisioning':",
      '      strikeSamples: ${SAMPLES}',
      '',
    ].join('\n');
    const env = { CACHE: 'real-cache', TEAM: 'releng', MAX_RESPONSE: '2s', SAMPLES: '4' };
    const { params, config } = await loadConfig(configFile(text), env);
    expect(params.get('purge-cache.roundtrip')).toMatchObject({ cacheName: 'real-cache' });
    expect(params.get('secrets.roundtrip')).toMatchObject({ secretPrefix: 'project/releng/canary' });
    expect(params.get('ping.queue')).toMatchObject({ maxResponseTime: 2000 });
    expect(params.get('pool.proj/linux.provisioning')).toMatchObject({ strikeSamples: 4 });
    // The parsed config keeps what was written.
    expect(config.checks.params['purge-cache.roundtrip']).toEqual({ cacheName: '${CACHE}' });
    // A string param keeps the variable's text, even one YAML would read as a number, a boolean or a quoted string.
    for (const text_ of ['0123', 'true', "'quoted'"]) {
      expect((await loadConfig(configFile(text), { ...env, CACHE: text_ })).params.get('purge-cache.roundtrip')).toMatchObject({ cacheName: text_ });
    }

    const malformed = text.replace('project/${TEAM}/canary', 'project/${TEAM/canary');
    const error = await loadConfig(configFile(malformed), { CACHE: 'real-cache', MAX_RESPONSE: 'soon' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map((d) => `${d.path}: ${d.message}`).sort()).toEqual([
      'checks.params.ping.queue.maxResponseTime: expected a duration like 30s, got "soon"',
      'checks.params.pool.proj/linux.provisioning.strikeSamples: environment variable SAMPLES is not set',
      'checks.params.secrets.roundtrip.secretPrefix: a ${...} reference must be ${NAME} with letters, digits and _',
    ]);
  });

  it('reports YAML syntax errors with their line', async () => {
    const found = await problems('services: [queue\nconcurrency: 2\n');
    expect(found[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('rejects wrong types for top-level keys', async () => {
    const found = await problems('concurrency: many\nservices: queue\n');
    expect(found.sort()).toEqual(['concurrency: expected a whole number, got "many"', 'services: expected a list, got "queue"']);
  });

  it('keeps ${VAR} references unresolved in the parsed config', async () => {
    const { config } = await loadConfig(configFile('pulse:\n  url: ${PULSE_URL}\n'));
    expect(config.pulse).toEqual({ url: '${PULSE_URL}', publishResults: false, queues: [] });
  });

  it('finds the config from --config, then TC_CANARY_CONFIG, then ./tc-canary.yml', () => {
    const file = configFile('concurrency: 2\n');
    const dir = path.dirname(file);
    expect(configFilePath('other.yml', { TC_CANARY_CONFIG: 'env.yml' }, dir)).toBe(path.join(dir, 'other.yml'));
    expect(configFilePath(undefined, { TC_CANARY_CONFIG: 'env.yml' }, dir)).toBe(path.join(dir, 'env.yml'));
    expect(configFilePath(undefined, {}, dir)).toBe(file);
    expect(configFilePath(undefined, {}, tmpdir())).toBeUndefined();
  });
});

describe('placeholders', () => {
  it('resolves ${VAR} at use and registers the value as a secret', () => {
    const redactor = new Redactor();
    const url = resolvePlaceholders('amqps://u:${PW}@h/v', { PW: 'hunter2-secret' }, { path: 'pulse.url', source: 'c.yml', redactor, secret: true });
    expect(url).toBe('amqps://u:hunter2-secret@h/v');
    expect(redactor.redact('password was hunter2-secret')).toBe('password was ***');
  });

  it('names the unset variable and the config path, never a value', () => {
    const redactor = new Redactor();
    expect(() => resolvePlaceholders('${A}-${B}', { A: 'set-value' }, { path: 'history', source: 'c.yml', redactor, secret: true }))
      .toThrow('c.yml: 1 problem\n  history: environment variable B is not set');
  });
});

describe('patterns in the config', () => {
  it('reports alert and maintenance patterns that match no check', async () => {
    const found = await problems(`
alerts:
  routes:
    - checks: 'pnig.*'
      notify: [{ email: { address: ops@example.com } }]
maintenance:
  - checks: 'queue.nothing'
    start: '2026-12-01T02:00'
    duration: 1h
    timezone: UTC
    reason: upgrade
`);
    expect(found).toEqual(expect.arrayContaining([
      'alerts.routes.0.checks: "pnig.*" matches no check (see tc-canary list)',
      'maintenance.0.checks: "queue.nothing" matches no check (see tc-canary list)',
    ]));
  });
});
