// `config check --deep`: what the structural check cannot know without the environment and the network. It
// resolves every ${VAR} reference (rootUrl, history, pulse.url, webhook URLs), opens the history, reaches the
// deployment (with the preflight every run makes: scopes and clock), and warns on maintenance windows that
// ended already. Problems are collected and reported together; warnings do not fail the check.

import { alertSender } from '../alerts/setup.js';
import { systemClock } from '../clock.js';
import { ConfigError, type Diagnostic } from '../config/diagnostics.js';
import { openHistory } from '../history/open.js';
import { historySpec } from '../history/spec.js';
import { HistoryError } from '../history/store.js';
import { httpProbe } from '../http/probe.js';
import { MaintenanceCalendar } from '../maintenance/calendar.js';
import { describeClockOffset, preflight } from '../runner/preflight.js';
import { taskclusterClients } from '../taskcluster/clients.js';
import { apiUrl } from '../taskcluster/urls.js';
import { pulseForCommand } from './pulse-setup.js';
import { resolveDeployment, type CommandSetup, type Deployment } from './setup.js';

export interface DeepCheckReport {
  /** What was reached, for the "valid" line. */
  reached: string[];
  warnings: Diagnostic[];
}

/** Throws a ConfigError listing every problem; else says what it reached and what to look at. */
export async function deepConfigCheck(setup: CommandSetup, rootUrlOption: string | undefined): Promise<DeepCheckReport> {
  const problems: Diagnostic[] = [];
  const report: DeepCheckReport = { reached: [], warnings: [] };
  const collect = async <T>(step: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.diagnostics);
      return undefined;
    }
  };

  const deployment = await collect(() => resolveDeployment(setup, rootUrlOption));
  const spec = await collect(() => historySpec(setup));
  const pulse = await collect(() => pulseForCommand(setup));
  await pulse?.connection.close();
  if (setup.config.alerts) {
    const alerts = setup.config.alerts;
    await collect(() => alertSender({ alerts, rootUrl: deployment?.rootUrl ?? '', credentials: undefined, env: setup.env, redactor: setup.redactor, source: setup.config.file ?? 'config' }));
  }

  if (spec !== undefined) {
    try {
      await (await openHistory(spec)).close();
      report.reached.push(`history ${setup.redactor.redact(spec)}`);
    } catch (error) {
      if (!(error instanceof HistoryError)) throw error;
      problems.push({ path: setup.config.history !== undefined ? 'history' : 'TC_CANARY_HISTORY', message: error.message });
    }
  }
  if (deployment) await reachDeployment(setup, deployment, rootUrlOption, problems, report);

  const calendar = new MaintenanceCalendar(setup.config.maintenance);
  for (const { window, end } of calendar.endedBefore(systemClock.now())) {
    report.warnings.push({ path: `maintenance.${window}`, message: `ended ${end}: a one-off window in the past can never apply` });
  }
  if (problems.length > 0) throw new ConfigError(setup.config.file ?? 'default configuration', problems);
  return report;
}

async function reachDeployment(setup: CommandSetup, deployment: Deployment, rootUrlOption: string | undefined, problems: Diagnostic[], report: DeepCheckReport): Promise<void> {
  const at = rootUrlOption !== undefined ? '--root-url' : deployment.rootUrlSource === 'config' ? 'rootUrl' : deployment.rootUrlSource;
  const http = httpProbe(new AbortController().signal, systemClock.now);
  try {
    // auth's ping answers without credentials on every deployment: it proves the URL is a Taskcluster.
    await http.get(apiUrl(deployment.rootUrl, 'auth', 'ping'));
  } catch (error) {
    problems.push({ path: at, message: `cannot reach the deployment: ${setup.redactor.redact((error as Error).message)}` });
    return;
  }
  const found = await preflight(taskclusterClients(deployment.rootUrl, deployment.credentials), http, deployment.rootUrl, systemClock.now);
  report.reached.push(`deployment ${deployment.rootUrl} (version ${found.deploymentVersion ?? 'unknown'})`);
  if (found.scopesProblem !== undefined) report.warnings.push({ path: at, message: `${setup.redactor.redact(found.scopesProblem)}: checks would run without a preflight` });
  if (found.serverClockOffsetMs !== 0) report.warnings.push({ path: at, message: `${describeClockOffset(found.serverClockOffsetMs)} (runs correct for it)` });
}
