import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';

function configFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-canary-pulse-queues-'));
  const file = path.join(dir, 'tc-canary.yml');
  writeFileSync(file, text);
  return file;
}

describe('pulse.managementUrl and pulse.queues', () => {
  it('reads each queue with its defaults, names its check after the pattern unless named, and keeps ${VAR}s unresolved', async () => {
    const { config, catalogue } = await loadConfig(configFile(`
pulse:
  managementUrl: \${PULSE_MANAGEMENT_URL}
  queues:
    - pattern: queue/treeherder/*
    - pattern: queue/taskcluster-github/worker.events
      name: github.events
      vhost: communitytc
      maxMessages: 10000
      maxMessagesAge: 30m
      minConsumers: 2
      maxGrowth: 1h
`));
    expect(config.pulse).toEqual({
      publishResults: false,
      managementUrl: '${PULSE_MANAGEMENT_URL}',
      queues: [
        { name: 'queue/treeherder/_', pattern: 'queue/treeherder/*', minConsumers: 1 },
        { name: 'github.events', pattern: 'queue/taskcluster-github/worker.events', vhost: 'communitytc', maxMessages: 10000, maxMessagesAge: 1_800_000, minConsumers: 2, maxGrowth: 3_600_000 },
      ],
    });
    expect(catalogue.checks.map((check) => check.id).filter((id) => id.startsWith('pulse.queue.') || id === 'pulse.broker').sort())
      .toEqual(['pulse.broker', 'pulse.queue.github.events', 'pulse.queue.queue/treeherder/_']);
    expect(catalogue.byId.get('pulse.queue.github.events')!.description)
      .toBe('Each Pulse queue matching queue/taskcluster-github/worker.events exists and has at least 2 consumers, at most 10000 messages, no message older than 30m, no growth at every run for over 1h');
  });

  it('reports every problem of the section at once, with its path', async () => {
    const error = await loadConfig(configFile(`
pulse:
  managementUrl: amqp://user:pw@host
  queues:
    - pattern: queue/a/*
      maxMessage: 5
    - pattern: queue/a/?
    - name: "bad name!"
      pattern: queue/b
      maxMessages: -1
      maxGrowth: soon
    - {}
`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'pulse.managementUrl: expected a http: or https: URL, got amqp:',
      'pulse.queues.0.maxMessage: unknown key (did you mean maxMessages?); known keys: name, pattern, vhost, maxMessages, maxMessagesAge, minConsumers, maxGrowth',
      'pulse.queues.1.pattern: its check would be pulse.queue.queue/a/_, as pulse.queues.0\'s is: give one of them a different name',
      'pulse.queues.2.name: "bad name!" cannot be part of a check id: use letters, digits, _, /, - and dots between words',
      'pulse.queues.2.maxMessages: expected a number from 0 to 9007199254740991, got -1',
      'pulse.queues.2.maxGrowth: expected a duration like 30s, 5m or 2h, got "soon"',
      'pulse.queues.3.pattern: expected a non-empty string, got undefined',
    ]);
  });

  it('needs the management URL for queues', async () => {
    const error = await loadConfig(configFile('pulse:\n  queues:\n    - pattern: queue/a\n')).catch((e: unknown) => e);
    expect((error as ConfigError).diagnostics).toEqual([{ path: 'pulse.queues', message: 'needs pulse.managementUrl: the queues are read through the broker\'s management HTTP API' }]);
  });
});
