// Where the real services started by scripts/services.sh are. Under CI=true a missing service fails the
// suite; on a developer's machine without them the suite is skipped with a visible reason.

export interface TestServices {
  amqpUrl?: string;
  amqpAdminUrl?: string;
  /** The broker's management HTTP API as a user with the monitoring tag and a permission on the test vhost. */
  managementUrl?: string;
  /** The same API as a user with the management tag only and no permission on the test vhost. */
  managementNoMonitoringUrl?: string;
  postgresUrl?: string;
}

export const services: TestServices = {
  amqpUrl: process.env.TC_CANARY_TEST_AMQP_URL,
  amqpAdminUrl: process.env.TC_CANARY_TEST_AMQP_ADMIN_URL,
  managementUrl: process.env.TC_CANARY_TEST_MANAGEMENT_URL,
  managementNoMonitoringUrl: process.env.TC_CANARY_TEST_MANAGEMENT_NO_MONITORING_URL,
  postgresUrl: process.env.TC_CANARY_TEST_POSTGRES_URL,
};

/** True when the suite must be skipped; throws under CI=true so a missing service never passes quietly. */
export function missingService(name: keyof TestServices): boolean {
  if (services[name]) return false;
  const message = `${name} is not set: run the tests with \`npm test\` (scripts/services.sh starts RabbitMQ and PostgreSQL)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return true;
}
