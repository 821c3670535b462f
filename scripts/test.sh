#!/usr/bin/env bash
# The test command: start the real RabbitMQ and PostgreSQL the integration tests use, build the CLI the
# process-level tests spawn, then run every test. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh)"
npm run --silent build
npx vitest run "$@"
