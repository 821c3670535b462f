// Prometheus metrics of `serve`'s own scheduler, beside the checks' ones: how late slots start (a busy event
// loop or a full concurrency cap shows here before checks go stale), the slots it skipped and why, and the
// jobs that crashed. With the process's own metrics (RSS, event-loop lag), which every exporter exposes.

import { collectDefaultMetrics, Counter, Histogram, type Registry } from 'prom-client';
import type { SchedulerEvent } from '../scheduler/scheduler.js';

/** Seconds; 0.05 is the bound the scheduler bench holds the p99 to. */
const START_DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class SchedulerMetrics {
  private readonly startDelay: Histogram;
  private readonly skipped: Counter;
  private readonly crashed: Counter;

  constructor(registry: Registry) {
    collectDefaultMetrics({ register: registry });
    this.startDelay = new Histogram({
      name: 'tc_canary_scheduler_start_delay_seconds', help: 'From a slot being due to its check starting (election and concurrency cap included)',
      buckets: START_DELAY_BUCKETS, registers: [registry],
    });
    this.skipped = new Counter({
      name: 'tc_canary_scheduler_skipped_slots_total',
      help: 'Slots not run here, by reason (overlap, missed and coordinator-error need a look; not-elected ran on another replica)',
      labelNames: ['reason'], registers: [registry],
    });
    this.crashed = new Counter({
      name: 'tc_canary_scheduler_crashed_runs_total', help: 'Scheduled runs that threw outside a check (logged with their stack)',
      registers: [registry],
    });
  }

  observe(event: SchedulerEvent): void {
    if (event.type === 'started') this.startDelay.observe(event.startDelayMs / 1000);
    if (event.type === 'skipped') this.skipped.inc({ reason: event.reason });
    if (event.type === 'failed') this.crashed.inc();
  }
}
