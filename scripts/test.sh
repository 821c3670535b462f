#!/usr/bin/env bash
# The test command: start the real RabbitMQ and PostgreSQL the integration tests use, find (or install) the
# Chromium the dashboard's browser tests drive, build the CLI the
# process-level tests spawn, then run every test. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh)"
eval "$(bash scripts/browser.sh)"
npm run --silent build
npx vitest run "$@"
