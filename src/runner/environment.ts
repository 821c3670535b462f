// What every check of one run shares: the deployment, its clients, the clock, the redactor, the run's signal.

import type { EarlierResults } from '../check/context.js';
import type { Clock } from '../clock.js';
import type { PulseAccess } from '../pulse/access.js';
import type { ManagementSettings } from '../pulse/management-settings.js';
import type { Redactor } from '../redact.js';
import type { TaskclusterClients } from '../taskcluster/clients.js';

export interface RunEnvironment {
  runId: string;
  rootUrl: string;
  tc: TaskclusterClients;
  pulse: PulseAccess | undefined;
  pulseManagement: ManagementSettings | undefined;
  authenticated: boolean;
  /**
   * Server clock minus ours; 0 unless they disagree by more than a few seconds. Undefined for a check started
   * before the preflight answered (startsBeforePreflight): it may not use the deployment's clock.
   */
  serverClockOffsetMs: number | undefined;
  /** Our clock; the deployment's time is clock.now() + serverClockOffsetMs. */
  clock: Clock;
  redactor: Redactor;
  /** Aborted when the run is interrupted: running checks stop and clean up, the rest are skipped. */
  signal: AbortSignal;
  /** The history's earlier results of a check, when the run has a history. */
  earlierResults: EarlierResults | undefined;
}
