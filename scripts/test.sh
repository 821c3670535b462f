#!/usr/bin/env bash
# The test command: start the real RabbitMQ and PostgreSQL the integration tests use, find (or install) the
# Chromium the dashboard's browser tests drive, build the CLI the
# process-level tests spawn, then run every test. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
# Assigned first so that a setup script's failure stops the run (set -e does not see through `eval "$(...)"`).
services_env=$(bash scripts/services.sh)
browser_env=$(bash scripts/browser.sh)
eval "$services_env"
eval "$browser_env"
npm run --silent build
npx vitest run "$@"
