// `tc-canary run`: one pass over the selected checks (or --repeat N passes, each a run of its own), reported to
// the console, JSON, JUnit (the last pass) and history; with --compare, the comparison of the version just run
// against a baseline after the passes (docs/compare.md).

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/diagnostics.js';
import { renderJsonReport } from '../report/json.js';
import { consoleMode, createConsoleReporter } from '../report/console.js';
import { systemClock } from '../clock.js';
import { httpProbe } from '../http/probe.js';
import { readDeploymentVersion, type DeploymentVersion } from '../runner/preflight.js';
import { runChecks, type PlannedRunCheck, type RunRequest } from '../runner/run.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_FAILED, EXIT_PASSED, EXIT_UNUSABLE } from './exit-codes.js';
import { checkOutputWritable, reasonOf, writeOutput } from './output.js';
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
  repeat: number;
  /** The baseline to compare the version just run against: `previous` or a version. */
  compare?: string;
  /** --regressions-fail / --no-regressions-fail; undefined: config compare.failOnRegression (default true). */
  regressionsFail?: boolean;
}

function repeatCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return count;
}

export function runCommand(): Command {
  const command = new Command('run').description(COMMANDS.run.description);
  return checkPatternOption(deploymentOptions(command), 'run')
    .option('--json <file>', 'write the JSON report to a file, or - for standard output')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--no-history', 'do not record this run in the history (config history, $TC_CANARY_HISTORY, else sqlite:tc-canary.db)')
    .option('--repeat <n>', 'run the selection n times in a row, each a run of its own in the history (one run group)', repeatCount, 1)
    .option('--compare <baseline>', 'after the runs, compare the version just run against this one (previous: the one before) and print it')
    .option('--regressions-fail', 'with --compare, exit 1 when a metric regressed (default: config compare.failOnRegression, else on)')
    .option('--no-regressions-fail', 'with --compare, the exit code is the checks\' own')
    .action(async (options: RunOptions) => {
      process.exitCode = await runOnce(options);
    });
}

async function runOnce(options: RunOptions): Promise<number> {
  if (options.compare !== undefined && !options.history) {
    throw new ConfigError('arguments', [{ path: '--compare', message: 'compares what the history recorded: it cannot be used with --no-history' }]);
  }
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

  if (options.json) await checkOutputWritable(options.json, '--json');
  if (options.junit) await checkOutputWritable(options.junit, '--junit');

  // With the JSON report on standard output, people's output goes to standard error.
  const consoleStream = options.json === '-' ? process.stderr : process.stdout;
  announceDeployment(deployment);

  const checks: PlannedRunCheck[] = selection.checks.map((check) => {
    const planned: PlannedRunCheck = { check, params: setup.params.get(check.id) ?? {}, named: selection.named.has(check.id) };
    const excludedReason = selection.excluded.get(check.id);
    if (excludedReason) planned.excludedReason = excludedReason;
    return planned;
  });
  // Pulse first: its config error (exit 2) then leaves no history open behind it.
  const pulse = pulseForCommand(setup);
  const pulseManagement = pulseManagementForCommand(setup, pulse?.connection.settings);
  const history = await openRunHistory(setup, options.history, (line) => process.stderr.write(`${line}\n`));
  const interrupt = interruptSignal();
  const request: RunRequest = {
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
    // Each pass is a run of its own (its own run id); the passes of one --repeat share a group.
    ...(options.repeat > 1 && { runGroup: randomUUID() }),
  };
  let anyFailed = false;
  let reportLost = false;
  try {
    let run = await runChecks(request);
    anyFailed = run.outcome !== 'passed';
    // The version asked before the first pass is that pass's: each later pass asks again (a release may land
    // between passes).
    for (let pass = 1; pass < options.repeat && !interrupt.signal.aborted; pass++) {
      run = await runChecks({ ...request, deploymentVersion: undefined });
      anyFailed ||= run.outcome !== 'passed';
    }
    // Pulse is done with once the last pass has ended: its close, a round trip to the broker, goes on while
    // the reports are written and the history is closed.
    // Its failure is met below (the same close, awaited), once the reports are out; until then it must not
    // count as unhandled.
    pulse?.connection.close().catch(() => undefined);
    const reports = [
      { option: '--json', target: options.json, render: () => renderJsonReport(run) },
      // junit-report-builder is loaded only for a JUnit report.
      { option: '--junit', target: options.junit, render: async () => (await import('../report/junit.js')).renderJunitReport(run, { hostname: hostname() }) },
    ];
    for (const { option, target, render } of reports) {
      if (!target) continue;
      // Checked before the run, yet it can still fail (a full disk, a folder removed meanwhile): the summary is
      // printed above, so say what was lost and go on with the other report.
      await writeOutput(target, await render()).catch((error: unknown) => {
        reportLost = true;
        process.stderr.write(`${option}: cannot write ${target}: ${reasonOf(error)}; the report is lost (the summary above is the run's)\n`);
      });
    }
  } finally {
    interrupt.dispose();
    await Promise.all([history.close(), pulse?.connection.close()]);
  }
  if (reportLost) return EXIT_UNUSABLE;
  const checksExit = anyFailed ? EXIT_FAILED : EXIT_PASSED;
  if (options.compare === undefined) return checksExit;
  // The comparison's modules (a second history store, the statistics) are loaded only when one is asked for.
  const { compareAfterRun } = await import('./run-compare.js');
  const ran = checks.filter((planned) => planned.excludedReason === undefined).map((planned) => planned.check.id);
  return compareAfterRun(setup, { baseline: options.compare, checkIds: ran, regressionsFail: options.regressionsFail, stream: consoleStream, checksExit });
}
