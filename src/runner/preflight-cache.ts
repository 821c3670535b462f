// A preflight reused for a while: `serve` starts a run per scheduled firing, and the deployment's scopes and
// version do not change between two firings a second apart. A preflight that could not read the scopes, or
// failed outright, is not kept: the next firing tries again rather than running blind for the whole time to
// live. A deployment that names no version is kept like any other: asking again would not make one appear.

import { systemClock, type Clock } from '../clock.js';
import type { Preflight } from './preflight.js';
import type { PreflightSource } from './run.js';

export function cachedPreflight(ttlMs: number, clock: Clock = systemClock): PreflightSource {
  let cached: { madeAt: number; preflight: Promise<Preflight> } | undefined;
  return (make) => {
    const now = clock.now();
    if (!cached || now - cached.madeAt >= ttlMs) {
      const entry = { madeAt: now, preflight: make() };
      cached = entry;
      const forget = () => { if (cached === entry) cached = undefined; };
      // The caller sees a rejection; the cache only forgets it.
      entry.preflight.then((preflight) => { if (preflight.scopes === undefined) forget(); }, forget);
    }
    return cached.preflight;
  };
}
