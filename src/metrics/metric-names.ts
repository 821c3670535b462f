// How a check's metric becomes a Prometheus gauge: `tc_canary_<name>`, times in base units. A metric in
// milliseconds (`claim_latency_ms`, unit ms) becomes `tc_canary_claim_latency_seconds` with its value / 1000,
// as Prometheus asks for seconds; one in seconds (`scanner_age_s`) becomes `..._seconds` unchanged.

export interface GaugeSpec {
  name: string;
  /** Multiplies the recorded value into the gauge's unit. */
  scale: number;
}

const TIME_UNITS: Record<string, number> = { ms: 0.001, s: 1, seconds: 1 };
const TIME_SUFFIX = /_(ms|s|seconds)$/;

export function gaugeFor(metric: string, unit: string): GaugeSpec {
  const base = metric.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const suffixUnit = TIME_SUFFIX.exec(base)?.[1];
  const scale = TIME_UNITS[unit] ?? (suffixUnit !== undefined ? TIME_UNITS[suffixUnit]! : undefined);
  if (scale === undefined) return { name: `tc_canary_${base}`, scale: 1 };
  return { name: `tc_canary_${base.replace(TIME_SUFFIX, '')}_seconds`, scale };
}
