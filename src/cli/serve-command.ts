// `tc-canary serve`: runs each selected check on its schedule, sends the configured alerts, and serves the
// dashboard, the status, Dockerflow and Prometheus endpoints. SIGTERM or SIGINT stops it gracefully (exit 0)
// within --shutdown-timeout, whatever is still pending; a second signal exits at once.

import { Command } from 'commander';
import { effectiveSchedule } from '../catalogue/schedule.js';
import { parseDuration } from '../check/duration.js';
import { ConfigError } from '../config/diagnostics.js';
import { historySpec } from '../history/spec.js';
import { parseListen } from '../server/http-server.js';
import { startService } from '../server/service.js';
import { withUsableHistory } from './history-unusable.js';
import { pulseForCommand, pulseManagementForCommand } from './pulse-setup.js';
import { interruptSignal } from './interrupt.js';
import { announceDeployment, checkPatternOption, deploymentOptions } from './options.js';
import { resolveDeployment, selectForCommand, setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

interface ServeOptions {
  config?: string;
  rootUrl?: string;
  check: string[];
  listen: string;
  shutdownTimeout: string;
  snapshotMaxAge: string;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description(COMMANDS.serve.description);
  return checkPatternOption(deploymentOptions(command), 'serve')
    .option('--listen <host:port>', 'address to serve on', '127.0.0.1:8080')
    .option('--shutdown-timeout <duration>', 'on SIGTERM, the longest the service takes to stop: running checks clean up and pending alerts go out, then what is left is given up (logged)', '30s')
    .option('--snapshot-max-age <duration>', 'how old the kept answers of /, /status.json and /checks/<id> may get: the bound within which results recorded by another replica show (this one\'s show at once); 0s builds every answer afresh', '5s')
    .action(serve);
}

async function serve(options: ServeOptions): Promise<void> {
  const setup = await setupCommand(options.config);
  const deployment = resolveDeployment(setup, options.rootUrl);
  const problems = [];
  let listen;
  try {
    listen = parseListen(options.listen);
  } catch (error) {
    problems.push({ path: '--listen', message: (error as Error).message });
  }
  const shutdownTimeoutMs = parseDuration(options.shutdownTimeout);
  if (shutdownTimeoutMs === undefined) problems.push({ path: '--shutdown-timeout', message: `expected a duration like 30s, got ${JSON.stringify(options.shutdownTimeout)}` });
  const snapshotMaxAgeMs = parseDuration(options.snapshotMaxAge);
  if (snapshotMaxAgeMs === undefined) problems.push({ path: '--snapshot-max-age', message: `expected a duration like 5s, got ${JSON.stringify(options.snapshotMaxAge)}` });
  const { config } = setup;
  const selection = selectForCommand(setup, options.check);
  problems.push(...selection.problems);
  if (problems.length > 0 || !listen || shutdownTimeoutMs === undefined || snapshotMaxAgeMs === undefined) throw new ConfigError('arguments', problems);

  announceDeployment(deployment);

  // Excluded checks are simply not scheduled: a service has no run to report them skipped in.
  const checks = selection.checks
    .filter((check) => !selection.excluded.has(check.id))
    .map((check) => ({ check, params: setup.params.get(check.id) ?? {}, cron: effectiveSchedule(check, config.checks.schedules), named: selection.named.has(check.id) }));
  const pulse = pulseForCommand(setup);
  const pulseManagement = pulseManagementForCommand(setup, pulse?.connection.settings);
  const service = await withUsableHistory(() => startService({
    checks,
    rootUrl: deployment.rootUrl,
    credentials: deployment.credentials,
    redactor: setup.redactor,
    concurrency: config.concurrency,
    historySpec: historySpec(setup),
    retention: config.retention,
    listen,
    ...(pulse && { pulse: { connection: pulse.connection, publishResults: config.pulse?.publishResults ?? false } }),
    pulseManagement,
    maintenance: config.maintenance,
    ...(config.alerts && { alerts: { alerts: config.alerts, env: setup.env, source: config.file ?? 'default configuration' } }),
    log: (line) => process.stdout.write(`${line}\n`),
    shutdownTimeoutMs,
    snapshotMaxAgeMs,
  }));

  const interrupt = interruptSignal((line) => process.stdout.write(line));
  await new Promise((resolve) => interrupt.signal.addEventListener('abort', resolve, { once: true }));
  await service.stop();
  interrupt.dispose();
  process.stdout.write('stopped\n');
  // What stop() gave up may still hold the event loop (a notify request that never answers waits for its own
  // 30 s timeout; a cleanup stuck in a call nobody can cancel): it must not keep the process past the bound.
  process.exit(0);
}
