// Dockerflow's /__heartbeat__: the service's own backing parts (scheduler, history, coordination, Pulse),
// each ok, warning or error with its details; 200 while the worst is below error, 500 otherwise.

export type HeartbeatLevel = 'ok' | 'warning' | 'error';

export interface HeartbeatFinding {
  status: HeartbeatLevel;
  details?: unknown;
}

export interface HeartbeatPart {
  name: string;
  /** May throw: that is an error of this part, with the message as its details. */
  probe(): Promise<HeartbeatFinding>;
}

export interface Heartbeat {
  status: HeartbeatLevel;
  checks: Record<string, HeartbeatLevel>;
  details: Record<string, unknown>;
}

const LEVELS: HeartbeatLevel[] = ['ok', 'warning', 'error'];
/** A part that does not answer in time (a hung database) is an error rather than a hung heartbeat. */
const PROBE_TIMEOUT_MS = 5_000;

export async function heartbeat(parts: readonly HeartbeatPart[], redact: (text: string) => string): Promise<Heartbeat> {
  const findings = await Promise.all(parts.map((part) => probeWithin(part, PROBE_TIMEOUT_MS, redact)));
  const result: Heartbeat = { status: 'ok', checks: {}, details: {} };
  parts.forEach((part, i) => {
    const finding = findings[i]!;
    result.checks[part.name] = finding.status;
    if (finding.details !== undefined) result.details[part.name] = finding.details;
    if (LEVELS.indexOf(finding.status) > LEVELS.indexOf(result.status)) result.status = finding.status;
  });
  return result;
}

async function probeWithin(part: HeartbeatPart, timeoutMs: number, redact: (text: string) => string): Promise<HeartbeatFinding> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<HeartbeatFinding>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'error', details: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
  });
  try {
    return await Promise.race([part.probe(), late]);
  } catch (error) {
    return { status: 'error', details: redact((error as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}
