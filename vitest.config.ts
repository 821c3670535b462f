import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration suites share one RabbitMQ and one PostgreSQL (each names its own queues, schemas and files),
    // and a Pulse suite restarts that broker: one file at a time, whatever the machine.
    fileParallelism: false,
  },
});
