import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one RabbitMQ and one PostgreSQL; files stay isolated by naming.
    pool: 'forks',
    // One file at a time, whatever the machine: a Pulse suite restarts the shared broker.
    fileParallelism: false,
  },
});
