// The latest preflight, as serve's /__heartbeat__ reports it: a prober that cannot read its own scopes runs its
// checks blind (a revoked scope then looks like a failing service), which is the service's problem, not the
// deployment's: it shows as the heartbeat's `preflight` warning.

import type { PreflightInfo } from '../check/result.js';
import type { RunReporter } from '../report/reporter.js';
import { describeClockOffset } from '../runner/preflight.js';
import type { HeartbeatPart } from './heartbeat.js';

export class PreflightHealth {
  private latest: PreflightInfo | undefined;

  /** `log` gets a line when what the preflight finds changes: the scopes become unreadable (or readable again). */
  constructor(private readonly log: (line: string) => void) {}

  /** Feeds each run's preflight in. */
  reporter(): RunReporter {
    return {
      onRunStart: ({ preflight }) => {
        const blind = preflight.scopes === 'unreadable';
        if (blind !== (this.latest?.scopes === 'unreadable')) {
          this.log(blind ? `preflight: cannot read the client's scopes (${preflight.scopesProblem ?? 'no answer'}): checks run without a preflight` : 'preflight: the client\'s scopes can be read again');
        }
        this.latest = preflight;
      },
    };
  }

  part(): HeartbeatPart {
    return {
      name: 'preflight',
      probe: async () => {
        const latest = this.latest;
        // No run yet: nothing known to be wrong.
        if (!latest) return { status: 'ok', details: { scopes: 'not yet read' } };
        const clock = latest.serverClockOffsetMs === 0 ? {} : { clock: describeClockOffset(latest.serverClockOffsetMs) };
        if (latest.scopes !== 'unreadable') return { status: 'ok', details: { scopes: latest.scopes, ...clock } };
        return { status: 'warning', details: { scopes: 'unreadable', problem: latest.scopesProblem, checks: 'run without a preflight', ...clock } };
      },
    };
  }
}
