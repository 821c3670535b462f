// `tc-canary alerts test [--route N]`: sends a test message through every destination of the configured
// routes (or of route N), so an operator can check scopes, room invitations and webhooks before an incident.
// Exit 0 when every destination took it, 1 when one did not, 2 for a usage or configuration error.

import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DELIVERY_RETRY, deliver } from '../alerts/delivery.js';
import { testMessage } from '../alerts/message.js';
import { alertSender } from '../alerts/setup.js';
import { ConfigError } from '../config/diagnostics.js';
import { EXIT_FAILED, EXIT_PASSED } from './exit-codes.js';
import { CONFIG_HELP, announceDeployment } from './options.js';
import { resolveDeployment, setupCommand } from './setup.js';
import { COMMANDS } from './commands.js';

interface AlertsTestOptions {
  config?: string;
  rootUrl?: string;
  route?: number;
}

/** A person waits for the answer: a short retry, not the engine's minutes. */
const TEST_RETRY = { ...DEFAULT_DELIVERY_RETRY, retries: 2, maxDelayMs: 5000 };

function routeIndex(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a route number (0 is the first route in alerts.routes)');
  return Number(value);
}

export function alertsCommand(): Command {
  const alerts = new Command('alerts').description(COMMANDS.alerts.description);
  alerts
    .command('test')
    .description('send a test message through the configured alert routes; exit 0 when every destination took it')
    .option('--config <file>', CONFIG_HELP)
    .option('--root-url <url>', 'deployment whose notify service sends the messages (default as for run)')
    .option('--route <n>', 'only this route: its index in alerts.routes, from 0', routeIndex)
    .action(async (options: AlertsTestOptions) => {
      process.exitCode = await sendTestMessages(options);
    });
  return alerts;
}

async function sendTestMessages(options: AlertsTestOptions): Promise<number> {
  const setup = await setupCommand(options.config);
  const source = setup.config.file ?? 'default configuration';
  const alerts = setup.config.alerts;
  if (!alerts) throw new ConfigError(source, [{ path: 'alerts', message: 'no alerts are configured: add alerts.routes to the config' }]);
  if (options.route !== undefined && options.route >= alerts.routes.length) {
    throw new ConfigError('arguments', [{ path: '--route', message: `there ${alerts.routes.length === 1 ? 'is 1 route' : `are ${alerts.routes.length} routes`} (0 to ${alerts.routes.length - 1}), got ${options.route}` }]);
  }
  const deployment = resolveDeployment(setup, options.rootUrl);
  announceDeployment(deployment, 'the notify service will refuse anonymous messages');
  const send = alertSender({ alerts, rootUrl: deployment.rootUrl, credentials: deployment.credentials, env: setup.env, redactor: setup.redactor, source });
  const log = (line: string) => process.stdout.write(`${setup.redactor.redact(line)}\n`);
  const context = alerts.dashboardUrl ? { rootUrl: deployment.rootUrl, dashboardUrl: alerts.dashboardUrl } : { rootUrl: deployment.rootUrl };

  const chosen = alerts.routes.map((route, index) => ({ route, index })).filter(({ index }) => options.route === undefined || index === options.route);
  const reports = await Promise.all(chosen.flatMap(({ route, index }) => {
    const message = testMessage(index, route.checks, Date.now(), context);
    return route.notify.map((target) => deliver(send, { route: index, target }, message, { retry: TEST_RETRY, log }));
  }));
  const reached = reports.filter((report) => report.ok).length;
  process.stdout.write(`${reached} of ${reports.length} destination${reports.length === 1 ? '' : 's'} took the test message\n`);
  return reached === reports.length ? EXIT_PASSED : EXIT_FAILED;
}
