// The answers of serve's read endpoints (/, /status.json, /checks/<id>, /pools/<id>), kept between requests:
// building one reads the history and renders (milliseconds of work on the event loop the scheduler shares),
// so a dashboard left open by many people, or a load balancer polling hard, must not build one per request.
//
// An answer is built again when it is asked for after
// - a result was recorded by this process (invalidate()): it never shows what was true before a result it
//   recorded;
// - maxAgeMs passed since its build began: results recorded by another replica on the same PostgreSQL, the
//   uptime windows sliding, a maintenance window opening and the next-run times show within that bound.
// Requests that come while an answer is being built wait for that build rather than starting their own.

import { performance } from 'node:perf_hooks';

export interface ReadSnapshotOptions {
  /** 0 builds every answer afresh (no snapshot). */
  maxAgeMs: number;
  /** Answers kept at most (URLs with query strings are keys too); the least recently asked go first. */
  maxEntries?: number;
}

interface Entry<T> {
  generation: number;
  builtAtMs: number;
  answer: Promise<T>;
}

const DEFAULT_MAX_ENTRIES = 256;

/** A build that fails (the history unreachable) is not kept: the next request tries again. */
export class ReadSnapshot<T> {
  private generation = 0;
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: ReadSnapshotOptions) {}

  /** The kept answer for `key` while it is current, else the one `build` makes. */
  get(key: string, build: () => Promise<T>): Promise<T> {
    if (this.options.maxAgeMs <= 0) return build();
    const now = performance.now();
    const kept = this.entries.get(key);
    this.entries.delete(key);
    if (kept && kept.generation === this.generation && now - kept.builtAtMs < this.options.maxAgeMs) {
      this.entries.set(key, kept);
      return kept.answer;
    }
    const entry: Entry<T> = { generation: this.generation, builtAtMs: now, answer: build() };
    this.entries.set(key, entry);
    if (this.entries.size > (this.options.maxEntries ?? DEFAULT_MAX_ENTRIES)) this.entries.delete(this.entries.keys().next().value!);
    entry.answer.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.answer;
  }

  /** Something the answers show has changed: every answer is built again when next asked for. */
  invalidate(): void {
    this.generation += 1;
  }
}
