import { describe, expect, it } from 'vitest';
import { CanaryMetrics } from '../../src/metrics/canary-metrics.js';
import { SchedulerMetrics } from '../../src/metrics/scheduler-metrics.js';

const slot = new Date('2030-01-01T00:00:00.000Z');

describe('SchedulerMetrics', () => {
  it('puts start delays in seconds into a histogram, and counts skipped slots by reason and crashed runs', async () => {
    const metrics = new CanaryMetrics();
    const scheduler = new SchedulerMetrics(metrics.registry);
    scheduler.observe({ type: 'started', jobId: 'ping.queue', slot, startDelayMs: 3 });
    scheduler.observe({ type: 'started', jobId: 'ping.auth', slot, startDelayMs: 40 });
    scheduler.observe({ type: 'started', jobId: 'ping.index', slot, startDelayMs: 1200 });
    scheduler.observe({ type: 'skipped', jobId: 'ping.queue', slot, reason: 'overlap' });
    scheduler.observe({ type: 'skipped', jobId: 'ping.auth', slot, reason: 'overlap' });
    scheduler.observe({ type: 'skipped', jobId: 'ping.auth', slot, reason: 'not-elected' });
    scheduler.observe({ type: 'failed', jobId: 'ping.auth', slot, error: new Error('boom') });
    scheduler.observe({ type: 'finished', jobId: 'ping.auth', slot, durationMs: 10 });
    const text = await metrics.render();
    expect(text).toContain('tc_canary_scheduler_start_delay_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('tc_canary_scheduler_start_delay_seconds_bucket{le="0.05"} 2');
    expect(text).toContain('tc_canary_scheduler_start_delay_seconds_bucket{le="2.5"} 3');
    expect(Number(/^tc_canary_scheduler_start_delay_seconds_sum (\S+)$/m.exec(text)?.[1])).toBeCloseTo(1.243, 9);
    expect(text).toContain('tc_canary_scheduler_start_delay_seconds_count 3');
    expect(text).toContain('tc_canary_scheduler_skipped_slots_total{reason="overlap"} 2');
    expect(text).toContain('tc_canary_scheduler_skipped_slots_total{reason="not-elected"} 1');
    expect(text).toContain('tc_canary_scheduler_crashed_runs_total 1');
    // The process's own metrics, as every exporter has them.
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('keeps its names when a check reports a metric that would map onto one of them', async () => {
    const metrics = new CanaryMetrics();
    new SchedulerMetrics(metrics.registry);
    metrics.observe({
      id: 'team.odd', description: '', tags: [], outcome: 'passed', startedAt: '2030-01-01T00:00:00.000Z', durationMs: 5,
      attempts: [], steps: [], resources: [], log: [],
      metrics: { scheduler_start_delay_ms: { value: 7, unit: 'ms' }, check_results_total: { value: 9, unit: 'count' } },
    });
    const text = await metrics.render();
    expect(text).toContain('tc_canary_scheduler_start_delay_seconds_count 0');
    expect(text).not.toContain('tc_canary_scheduler_start_delay_seconds{check="team.odd"}');
    expect(text).toContain('tc_canary_check_results_total{check="team.odd",outcome="passed"} 1');
    expect(text).not.toContain('tc_canary_check_results_total{check="team.odd"} 9');
  });
});
