// `tc-canary run`: one pass over the selected checks, reported to the console, JSON, JUnit and history.

import { hostname } from 'node:os';
import { Command } from 'commander';
import { ConfigError } from '../config/diagnostics.js';
import { renderJsonReport } from '../report/json.js';
import { consoleMode, createConsoleReporter } from '../report/console.js';
import { systemClock } from '../clock.js';
import { httpProbe } from '../http/probe.js';
import { readDeploymentVersion, type DeploymentVersion } from '../runner/preflight.js';
import { runChecks, type PlannedRunCheck } from '../runner/run.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FAILED, EXIT_PASSED } from './exit-codes.js';
import { writeOutput } from './output.js';
import { announceDeployment, checkPatternOption, deploymentOptions } from './options.js';
import { completeSetup, readSetup, resolveDeployment, selectForCommand, type CommandSetup, type ReadSetup } from './setup.js';
import { interruptSignal } from './interrupt.js';
import { pulseForCommand, pulseManagementForCommand } from './pulse-setup.js';
import { COMMANDS } from './commands.js';
import { MaintenanceCalendar, maintenanceOf } from '../maintenance/calendar.js';
import { openRunHistory } from '../history/run-history.js';

interface RunOptions {
  config?: string;
  rootUrl?: string;
  check: string[];
  json?: string;
  junit?: string;
  /** false with --no-history. */
  history: boolean;
}

export function runCommand(): Command {
  const command = new Command('run').description(COMMANDS.run.description);
  return checkPatternOption(deploymentOptions(command), 'run')
    .option('--json <file>', 'write the JSON report to a file, or - for standard output')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--no-history', 'do not record this run in the history (config history, $TC_CANARY_HISTORY, else sqlite:tc-canary.db)')
    .action(async (options: RunOptions) => {
      process.exitCode = await runOnce(options);
    });
}

async function runOnce(options: RunOptions): Promise<number> {
  const read = await readSetup(options.config);
  // /__version__ is asked for now, so its round trip overlaps loading the catalogue; only for a config without
  // problems, so that a run its config stops sends nothing.
  const early = new AbortController();
  const deploymentVersion = read.diagnostics.empty ? askDeploymentVersion(read, options.rootUrl, early.signal) : undefined;
  try {
    return await runWith(await completeSetup(read), options, deploymentVersion);
  } finally {
    // A run stopped before it used the answer does not wait for it.
    early.abort();
  }
}

function askDeploymentVersion(read: ReadSetup, rootUrlOption: string | undefined, signal: AbortSignal): Promise<DeploymentVersion> | undefined {
  let rootUrl: string;
  try {
    ({ rootUrl } = resolveDeployment(read, rootUrlOption));
  } catch {
    return undefined; // runWith reports it once the config is checked in full
  }
  return readDeploymentVersion(httpProbe(signal, systemClock.now), rootUrl, systemClock.now);
}

async function runWith(setup: CommandSetup, options: RunOptions, deploymentVersion: Promise<DeploymentVersion> | undefined): Promise<number> {
  const deployment = resolveDeployment(setup, options.rootUrl);
  const selection = selectForCommand(setup, options.check);
  if (selection.problems.length > 0) throw new ConfigError('arguments', selection.problems);

  // With the JSON report on standard output, people's output goes to standard error.
  const consoleStream = options.json === '-' ? process.stderr : process.stdout;
  announceDeployment(deployment);

  const checks: PlannedRunCheck[] = selection.checks.map((check) => {
    const planned: PlannedRunCheck = { check, params: setup.params.get(check.id) ?? {} };
    const excludedReason = selection.excluded.get(check.id);
    if (excludedReason) planned.excludedReason = excludedReason;
    return planned;
  });
  // Pulse first: its config error (exit 2) then leaves no history open behind it.
  const pulse = pulseForCommand(setup);
  const pulseManagement = pulseManagementForCommand(setup, pulse?.connection.settings);
  const history = await openRunHistory(setup, options.history, (line) => process.stderr.write(`${line}\n`));
  const interrupt = interruptSignal();
  try {
    const run = await runChecks({
      checks,
      rootUrl: deployment.rootUrl,
      deploymentVersion,
      credentials: deployment.credentials,
      concurrency: setup.config.concurrency,
      reporters: [createConsoleReporter({ stream: consoleStream, mode: consoleMode(consoleStream, process.env), color: !process.env.NO_COLOR }), ...(pulse?.reporters ?? []), ...history.reporters],
      pulse: pulse?.connection,
      pulseManagement,
      redactor: setup.redactor,
      toolVersion: TOOL_VERSION,
      signal: interrupt.signal,
      maintenance: maintenanceOf(new MaintenanceCalendar(setup.config.maintenance)),
      earlierResults: history.earlierResults,
    });
    if (options.json) await writeOutput(options.json, renderJsonReport(run));
    // junit-report-builder is loaded only for a JUnit report.
    if (options.junit) await writeOutput(options.junit, (await import('../report/junit.js')).renderJunitReport(run, { hostname: hostname() }));
    return run.outcome === 'passed' ? EXIT_PASSED : EXIT_FAILED;
  } finally {
    interrupt.dispose();
    await history.close();
    await pulse?.connection.close();
  }
}
