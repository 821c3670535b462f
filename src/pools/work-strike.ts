// A "work strike": tasks wait in a pool's queue while the pool neither runs nor requests any capacity, and it
// stays so. One look cannot tell a strike from a provisioner that has not come round yet (it loops every
// ~10 s), so the verdict needs samples spanning a window. Today they are taken within one run; once the run
// history exists, an observer reading the check's earlier samples can replace that without changing the verdict.

export interface CapacitySample {
  atMs: number;
  pending: number;
  requested: number;
  running: number;
}

/** Where the samples come from: this run's own, or (later) the check's earlier results. */
export interface CapacityObserver {
  /** Samples over the observation window, oldest first; `take` measures the pool now. */
  observe(take: () => Promise<CapacitySample>): Promise<CapacitySample[]>;
  /** How long the samples must span before a strike is declared. */
  readonly windowMs: number;
}

export function isStriking(sample: CapacitySample): boolean {
  return sample.pending > 0 && sample.requested + sample.running === 0;
}

/**
 * Takes up to `samples` samples `intervalMs` apart within this run, stopping at the first one that shows
 * capacity or no pending work: a healthy pool costs one sample.
 */
export function observeWithinRun(options: { samples: number; intervalMs: number; sleep: (ms: number) => Promise<void> }): CapacityObserver {
  return {
    windowMs: (options.samples - 1) * options.intervalMs,
    async observe(take) {
      const taken: CapacitySample[] = [];
      for (let i = 0; i < options.samples; i += 1) {
        if (i > 0) await options.sleep(options.intervalMs);
        const sample = await take();
        taken.push(sample);
        if (!isStriking(sample)) break;
      }
      return taken;
    },
  };
}

export interface WorkStrike {
  /** Pending tasks at the last sample. */
  pending: number;
  samples: number;
  spanMs: number;
}

/** A strike when every sample shows pending work and no capacity, across at least `windowMs`. */
export function findWorkStrike(samples: readonly CapacitySample[], windowMs: number): WorkStrike | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || !samples.every(isStriking)) return undefined;
  const spanMs = last.atMs - first.atMs;
  return spanMs >= windowMs ? { pending: last.pending, samples: samples.length, spanMs } : undefined;
}
