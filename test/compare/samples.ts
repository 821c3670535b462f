// Generated latency samples with a known shape: log-normal around a median, from a seeded generator so that
// every run of a test draws the same values.

export { seededRandom as seeded } from '../../bench/seed-history.js';

/** n latencies whose median is `median` ms and whose log has standard deviation `spread` (0.3: typical jitter). */
export function latencies(next: () => number, n: number, median: number, spread = 0.3): number[] {
  return Array.from({ length: n }, () => {
    // Box-Muller: one standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return Math.round(median * Math.exp(spread * z) * 10) / 10;
  });
}
