import { describe, expect, it } from 'vitest';
import { cachedPreflight } from '../../src/runner/preflight-cache.js';
import type { Preflight } from '../../src/runner/preflight.js';

describe('cachedPreflight', () => {
  it('reuses one preflight within its time to live, then makes a new one', async () => {
    let now = 0;
    let made = 0;
    const source = cachedPreflight(60_000, { now: () => now });
    const make = async (): Promise<Preflight> => ({ scopes: ['*'], deploymentVersion: `v${++made}`, serverClockOffsetMs: 0 });
    expect((await source(make)).deploymentVersion).toBe('v1');
    now = 59_999;
    expect((await source(make)).deploymentVersion).toBe('v1');
    now = 60_000;
    expect((await source(make)).deploymentVersion).toBe('v2');
    expect(made).toBe(2);
  });
});

describe('a degraded preflight', () => {
  it('is not kept: the next run tries again', async () => {
    let made = 0;
    const source = cachedPreflight(60_000, { now: () => 0 });
    const make = async (): Promise<Preflight> => ({ scopes: made++ === 0 ? undefined : ['*'], deploymentVersion: '74.0.0', serverClockOffsetMs: 0 });
    expect((await source(make)).scopes).toBeUndefined();
    expect((await source(make)).scopes).toEqual(['*']);
    expect((await source(make)).scopes).toEqual(['*']);
    expect(made).toBe(2);
  });
});

describe('a preflight without a version or that failed', () => {
  it('is kept for its time to live when the deployment names no version: asking on every firing would not make one appear', async () => {
    let made = 0;
    const source = cachedPreflight(60_000, { now: () => 0 });
    const make = async (): Promise<Preflight> => ({ scopes: ['*'], deploymentVersion: null, serverClockOffsetMs: made++ });
    for (let i = 0; i < 5; i++) expect((await source(make)).deploymentVersion).toBeNull();
    expect(made).toBe(1);
  });

  it('is not kept when it failed: the next run asks again', async () => {
    let made = 0;
    const source = cachedPreflight(60_000, { now: () => 0 });
    const make = async (): Promise<Preflight> => {
      if (made++ === 0) throw new Error('connect ECONNREFUSED');
      return { scopes: ['*'], deploymentVersion: '74.0.0', serverClockOffsetMs: 0 };
    };
    await expect(source(make)).rejects.toThrow('ECONNREFUSED');
    expect((await source(make)).scopes).toEqual(['*']);
    expect(made).toBe(2);
  });
});
