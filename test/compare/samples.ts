// Generated latency samples with a known shape: log-normal around a median, from a seeded generator so that
// every run of a test draws the same values.

/** A small seeded uniform generator on [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n latencies whose median is `median` ms and whose log has standard deviation `spread` (0.3: typical jitter). */
export function latencies(next: () => number, n: number, median: number, spread = 0.3): number[] {
  return Array.from({ length: n }, () => {
    // Box-Muller: one standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return Math.round(median * Math.exp(spread * z) * 10) / 10;
  });
}
