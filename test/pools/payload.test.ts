import { describe, expect, it } from 'vitest';
import { probePayload } from '../../src/pools/payload.js';

describe('probePayload', () => {
  it('gives generic-worker (Linux/macOS) a list of argument lists and a maxRunTime', () => {
    expect(probePayload({ implementation: 'generic-worker' })).toEqual({ command: [['/bin/bash', '-c', 'echo tc-canary']], maxRunTime: 60 });
  });

  it('gives docker-worker and d2g the same docker-worker payload: image, command, maxRunTime', () => {
    const docker = probePayload({ implementation: 'docker-worker' });
    expect(docker).toEqual({ image: 'busybox:stable', command: ['/bin/sh', '-c', 'echo tc-canary'], maxRunTime: 60 });
    expect(probePayload({ implementation: 'd2g' })).toEqual(docker);
  });

  it('uses the configured payload instead, and none for implementation none', () => {
    const payload = { command: ['echo tc-canary'], maxRunTime: 30 };
    expect(probePayload({ implementation: 'generic-worker', payload })).toBe(payload);
    expect(probePayload({ implementation: 'none' })).toBeUndefined();
  });
});
