// A preflight reused for a while: `serve` starts a run per scheduled firing, and the deployment's scopes and
// version do not change between two firings a second apart.

import { systemClock, type Clock } from '../clock.js';
import type { Preflight } from './preflight.js';
import type { PreflightSource } from './run.js';

export function cachedPreflight(ttlMs: number, clock: Clock = systemClock): PreflightSource {
  let cached: { madeAt: number; preflight: Promise<Preflight> } | undefined;
  return (make) => {
    const now = clock.now();
    if (!cached || now - cached.madeAt >= ttlMs) cached = { madeAt: now, preflight: make() };
    return cached.preflight;
  };
}
