import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openPostgresDatabase } from '../../src/history/postgres.js';
import { missingService, services } from '../support/services.js';
import { describeStoreContract } from './store-contract.js';

if (missingService('postgresUrl')) {
  describe.skip('history store contract: PostgreSQL (no PostgreSQL)', () => {});
} else {
  const url = services.postgresUrl!;
  describeStoreContract('PostgreSQL', {
    // A schema per test: parallel test files and tests never see each other's rows.
    async fresh() {
      const schema = `tc_canary_history_${randomBytes(6).toString('hex')}`;
      return { spec: url, options: { schema }, database: () => openPostgresDatabase(url, { schema }) };
    },
    async dispose(fresh) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${fresh.options.schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
    // Port 1 on loopback: nothing listens there.
    unopenable: {
      spec: 'postgres://canary:s3cret-pw@127.0.0.1:1/history',
      shows: 'postgres://canary:***@127.0.0.1:1/history',
      hides: 's3cret-pw',
    },
  });
}
