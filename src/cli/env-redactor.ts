// The secrets the environment holds, known to a redactor before anything can be printed.

import { Redactor, passwordInUrl } from '../redact.js';

/** A redactor that already knows the secrets the environment holds. */
export function redactorFromEnv(env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  for (const secret of [env.TASKCLUSTER_ACCESS_TOKEN, env.TASKCLUSTER_CERTIFICATE, env.PULSE_URL && passwordInUrl(env.PULSE_URL)]) {
    if (secret) redactor.add(secret);
  }
  return redactor;
}
