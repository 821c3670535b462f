import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/result.js';
import { CanaryMetrics } from '../../src/metrics/canary-metrics.js';
import { gaugeFor } from '../../src/metrics/metric-names.js';

function result(id: string, outcome: CheckResult['outcome'], metrics: CheckResult['metrics'] = {}, durationMs = 1200): CheckResult {
  return { id, description: '', tags: [], outcome, startedAt: '2030-01-01T00:00:00.000Z', durationMs, attempts: [], steps: [], metrics, resources: [], log: [] };
}

describe('gaugeFor', () => {
  it.each([
    ['claim_latency_ms', 'ms', 'tc_canary_claim_latency_seconds', 0.001],
    ['response_ms', 'ms', 'tc_canary_response_seconds', 0.001],
    ['scanner_age_s', 's', 'tc_canary_scanner_age_seconds', 1],
    ['oldest_pending_s', 's', 'tc_canary_oldest_pending_seconds', 1],
    ['pending', 'count', 'tc_canary_pending', 1],
    ['lag', 'ms', 'tc_canary_lag_seconds', 0.001],
    ['weird-name.x', 'count', 'tc_canary_weird_name_x', 1],
  ])('%s (%s) -> %s x%s', (metric, unit, name, scale) => {
    expect(gaugeFor(metric, unit)).toEqual({ name, scale });
  });
});

describe('CanaryMetrics', () => {
  it('shows the latest success, duration and metrics per check, and counts results by outcome', async () => {
    const metrics = new CanaryMetrics();
    metrics.observe(result('pool.a/b.claim', 'passed', { claim_latency_ms: { value: 2500, unit: 'ms', limit: 60000, ok: true } }));
    metrics.observe(result('pool.a/b.claim', 'failed', { claim_latency_ms: { value: 90000, unit: 'ms', limit: 60000, ok: false } }, 91000));
    metrics.observe(result('ping.queue', 'flaky'));
    metrics.observe(result('ping.queue', 'skipped'));
    const text = await metrics.render();
    expect(text).toContain('probe_success{check="pool.a/b.claim"} 0');
    expect(text).toContain('probe_duration_seconds{check="pool.a/b.claim"} 91');
    expect(text).toContain('tc_canary_claim_latency_seconds{check="pool.a/b.claim"} 90');
    // A skip probed nothing: the flaky pass before it stays the latest state.
    expect(text).toContain('probe_success{check="ping.queue"} 1');
    expect(text).toContain('tc_canary_check_results_total{check="pool.a/b.claim",outcome="passed"} 1');
    expect(text).toContain('tc_canary_check_results_total{check="pool.a/b.claim",outcome="failed"} 1');
    expect(text).toContain('tc_canary_check_results_total{check="ping.queue",outcome="skipped"} 1');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('shows latest values from history at start without counting them as new results', async () => {
    const metrics = new CanaryMetrics();
    metrics.showLatest(result('ping.queue', 'error'));
    const text = await metrics.render();
    expect(text).toContain('probe_success{check="ping.queue"} 0');
    expect(text).not.toMatch(/tc_canary_check_results_total\{/);
  });

  it('keeps its metrics on its own registry, apart from prom-client\'s global one', async () => {
    const { register } = await import('prom-client');
    new CanaryMetrics().observe(result('ping.queue', 'passed'));
    expect(await register.metrics()).not.toContain('probe_success');
  });
});
