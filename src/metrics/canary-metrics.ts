// Prometheus metrics of the checks, on tc-canary's own registry (so nothing else in the process leaks into
// /metrics): probe_success and probe_duration_seconds as blackbox_exporter names them, a gauge per check
// metric with its latest value, and a counter of results by outcome.

import { Counter, Gauge, Registry } from 'prom-client';
import type { CheckResult } from '../check/result.js';
import type { RunReporter } from '../report/reporter.js';
import { gaugeFor } from './metric-names.js';

export class CanaryMetrics {
  readonly registry = new Registry();
  private readonly success = new Gauge({
    name: 'probe_success', help: 'Whether the latest result of the check passed (1: passed or flaky, 0: failed or error)',
    labelNames: ['check'], registers: [this.registry],
  });
  private readonly duration = new Gauge({
    name: 'probe_duration_seconds', help: 'How long the latest run of the check took, retries included',
    labelNames: ['check'], registers: [this.registry],
  });
  private readonly results = new Counter({
    name: 'tc_canary_check_results_total', help: 'Check results recorded by this process, by outcome',
    labelNames: ['check', 'outcome'], registers: [this.registry],
  });
  private readonly scopesReadable = new Gauge({
    name: 'tc_canary_preflight_scopes_readable', help: 'Whether the latest preflight could read the client\'s scopes (0: checks run without a preflight; the client may lack auth:current-scopes)',
    registers: [this.registry],
  });
  private readonly clockOffset = new Gauge({
    name: 'tc_canary_clock_offset_seconds', help: 'The deployment\'s clock minus ours, as the latest preflight measured it (0 within 30 s); requests are signed with the deployment\'s time',
    registers: [this.registry],
  });
  private readonly gauges = new Map<string, Gauge>();

  /** The reporter that feeds a run's preflight and results in. */
  reporter(): RunReporter {
    return {
      onRunStart: ({ preflight }) => {
        this.scopesReadable.set(preflight.scopes === 'unreadable' ? 0 : 1);
        this.clockOffset.set(preflight.serverClockOffsetMs / 1000);
      },
      onCheckEnd: (result) => this.observe(result),
    };
  }

  /** A new result: counted, and its values become the latest. */
  observe(result: CheckResult): void {
    this.results.inc({ check: result.id, outcome: result.outcome });
    this.showLatest(result);
  }

  /** The latest values only (e.g. from the history at start), without counting them again. */
  showLatest(result: CheckResult): void {
    // A skipped check probed nothing: its previous values stay.
    if (result.outcome === 'skipped') return;
    const check = result.id;
    this.success.set({ check }, result.outcome === 'passed' || result.outcome === 'flaky' ? 1 : 0);
    this.duration.set({ check }, result.durationMs / 1000);
    for (const [name, metric] of Object.entries(result.metrics)) {
      const spec = gaugeFor(name, metric.unit);
      this.gauge(spec.name, name, metric.unit)?.set({ check }, metric.value * spec.scale);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private gauge(name: string, metric: string, unit: string): Gauge | undefined {
    let gauge = this.gauges.get(name);
    if (!gauge) {
      // A name the registry already holds (probe_success, the scheduler's own) is not a check metric's to take.
      if (this.registry.getSingleMetric(name)) return undefined;
      gauge = new Gauge({ name, help: `Latest ${metric} (${unit}) of each check that measures it`, labelNames: ['check'], registers: [this.registry] });
      this.gauges.set(name, gauge);
    }
    return gauge;
  }
}
