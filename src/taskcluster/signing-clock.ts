// Hawk stamps every signed request with the time, and a deployment refuses a stamp more than 15 minutes off its
// own clock ("Unauthorized: Stale timestamp", 401). taskcluster-client has no option to correct the stamp per
// client, but it signs through the hawk module, whose clock is process-wide: correcting that clock corrects
// every client of the process. A tc-canary process talks to one deployment, so one offset serves them all.

import { loadOnUse } from '../load-on-use.js';

/** Loaded with taskcluster-client (which signs through it), not by a run that makes no signed request. */
const hawk = loadOnUse<typeof import('hawk')>('hawk');

let offsetMs = 0;
let corrected = false;

/** Signs every request from now on as if our clock read the deployment's time (its clock minus ours). */
export function signWithClockOffset(serverClockOffsetMs: number): void {
  offsetMs = serverClockOffsetMs;
}

/** Puts hawk on the corrected clock; called where the Taskcluster clients are built. */
export function correctSigningClock(): void {
  if (corrected) return;
  hawk().utils.setTimeFunction(() => Date.now() + offsetMs);
  corrected = true;
}
