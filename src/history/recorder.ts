// Records runs into a HistoryStore as they happen, without ever slowing, failing or crashing a run: the
// reporter hooks only queue writes; a background flush performs them in order. When the store cannot be
// written (disk full, locked, PostgreSQL down) the writes stay queued and are retried later, the problem is
// said once, and whatever is still unwritten when the recorder drains is counted out loud. While runs are in
// progress, their last sign of life is refreshed every few seconds: a run whose process dies (kill -9) is
// recorded as ending there, within that interval of its death, not at its last recorded check.

import type { CheckResult, RunResult } from '../check/result.js';
import { systemClock, type Clock } from '../clock.js';
import type { HistoryStore } from './store.js';
import type { RunPlan, RunReporter } from '../report/reporter.js';

export interface HistoryRecorderOptions {
  toolVersion: string;
  /** Where problems (and recoveries) are said, one line each, already redacted by the store. */
  onProblem(message: string): void;
  clock?: Clock;
  /** After a failed write, further attempts wait this long (a down PostgreSQL takes seconds to refuse). */
  retryAfterMs?: number;
  /** Bounds memory while the store is down for long; older writes beyond it are dropped, and said so. */
  maxPending?: number;
  /** Told once a check's result is in the store (what reads of the history now show). */
  onResultRecorded?(result: CheckResult): void;
  /** How often the runs in progress show a sign of life. Default 5 s. */
  signOfLifeEveryMs?: number;
}

export interface RecorderState {
  /** False from a failed write until a write succeeds again. */
  writable: boolean;
  /** Writes waiting for the store. */
  pending: number;
  /** Writes given up because too many waited (whole runs, oldest first). */
  dropped: number;
  lastError?: string;
}

interface PendingWrite {
  runId: string;
  write(store: HistoryStore): Promise<void>;
}

const DEFAULT_RETRY_AFTER_MS = 5_000;
const DEFAULT_MAX_PENDING = 10_000;
const DEFAULT_SIGN_OF_LIFE_EVERY_MS = 5_000;

/**
 * One per process: it owns the write queue. Each run reports through its own `reporter()`, so runs that
 * overlap (scheduled checks in `serve`) record under their own run ids.
 */
export class HistoryRecorder {
  private queue: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  private failedAtMs: number | undefined;
  private lastError: string | undefined;
  private dropped = 0;
  private readonly clock: Clock;
  /** Runs begun and not yet finished, whose sign of life the timer refreshes. */
  private readonly inProgress = new Set<string>();
  private signOfLife: NodeJS.Timeout | undefined;
  private touching = false;

  constructor(readonly store: HistoryStore, private readonly options: HistoryRecorderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The reporter of one run: its hooks return at once; the writes happen behind them. */
  reporter(): RunReporter {
    let runId: string | undefined;
    return {
      onRunStart: (plan: RunPlan) => {
        runId = plan.runId;
        const meta = { runId, rootUrl: plan.rootUrl, deploymentVersion: plan.deploymentVersion, startedAt: plan.startedAt, toolVersion: this.options.toolVersion, plannedChecks: plan.checks, ...(plan.runGroup !== undefined && { runGroup: plan.runGroup }) };
        this.enqueue({ runId, write: (store) => store.beginRun(meta) });
        this.inProgress.add(runId);
        this.showSignsOfLife();
      },
      onCheckEnd: (result: CheckResult) => {
        // The runner always starts a run before any check ends.
        const owner = runId!;
        this.enqueue({
          runId: owner,
          write: async (store) => {
            await store.recordCheck(owner, result);
            this.options.onResultRecorded?.(result);
          },
        });
      },
      onRunEnd: (run: RunResult) => {
        const finish = { finishedAt: run.finishedAt, outcome: run.outcome, summary: run.summary };
        this.enqueue({ runId: run.runId, write: (store) => store.finishRun(run.runId, finish) });
        this.inProgress.delete(run.runId);
        if (this.inProgress.size === 0) this.stopSignsOfLife();
      },
    };
  }

  state(): RecorderState {
    return { writable: this.failedAtMs === undefined, pending: this.queue.length, dropped: this.dropped, ...(this.lastError !== undefined && { lastError: this.lastError }) };
  }

  /**
   * Waits for the queued writes, trying once more even right after a failure, and says how many are left
   * unwritten. Returns that number.
   */
  async drain(): Promise<number> {
    this.stopSignsOfLife();
    await this.flushing;
    await this.flush({ retryNow: true });
    const left = this.queue.length;
    if (left > 0) {
      const runs = new Set(this.queue.map((write) => write.runId)).size;
      this.options.onProblem(`history ${this.store.label}: ${left} write(s) of ${runs} run(s) could not be recorded (${this.lastError ?? 'unknown error'}); the run's reports still have every result`);
    }
    return left;
  }

  private showSignsOfLife(): void {
    // Unref'd: a sign of life never keeps a finished process alive.
    this.signOfLife ??= setInterval(() => this.touch(), this.options.signOfLifeEveryMs ?? DEFAULT_SIGN_OF_LIFE_EVERY_MS).unref();
  }

  private stopSignsOfLife(): void {
    clearInterval(this.signOfLife);
    this.signOfLife = undefined;
  }

  /** Outside the write queue: it may run before a run's start is written (it touches nothing then). */
  private touch(): void {
    if (this.touching || this.failedAtMs !== undefined) return;
    this.touching = true;
    // A store that cannot be written says so through the queued writes; a missed sign of life only costs precision.
    this.store.touchRuns([...this.inProgress]).catch(() => undefined).finally(() => {
      this.touching = false;
    });
  }

  private enqueue(write: PendingWrite): void {
    this.queue.push(write);
    const limit = this.options.maxPending ?? DEFAULT_MAX_PENDING;
    if (this.queue.length > limit) {
      // Drop the oldest run's writes whole: a run's results cannot be written without its start.
      const oldest = this.queue[0]!.runId;
      const before = this.queue.length;
      this.queue = this.queue.filter((queued) => queued.runId !== oldest);
      if (this.dropped === 0) this.options.onProblem(`history ${this.store.label}: over ${limit} writes waiting; dropping the oldest runs`);
      this.dropped += before - this.queue.length;
    }
    void this.flush({ retryNow: false });
  }

  private flush({ retryNow }: { retryNow: boolean }): Promise<void> {
    if (this.flushing) return this.flushing;
    const retryAfter = this.options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    if (!retryNow && this.failedAtMs !== undefined && this.clock.now() - this.failedAtMs < retryAfter) return Promise.resolve();
    this.flushing = this.writeQueued().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    const recovering = this.failedAtMs !== undefined;
    let written = 0;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      try {
        await head.write(this.store);
      } catch (error) {
        const message = (error as Error).message;
        if (this.failedAtMs === undefined) {
          this.options.onProblem(`${message}; results are kept and retried, and the run's reports still have them`);
        }
        this.failedAtMs = this.clock.now();
        this.lastError = message;
        return;
      }
      // Removed by identity: the head may have been dropped with its run while it was being written.
      const index = this.queue.indexOf(head);
      if (index >= 0) this.queue.splice(index, 1);
      written += 1;
    }
    if (recovering) this.options.onProblem(`history ${this.store.label}: writable again (${written} queued write(s) recorded)`);
    this.failedAtMs = undefined;
    this.lastError = undefined;
  }
}
