#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver when missing, for the dashboard's real-browser test (playwright-core
# drives Chromium; it never downloads a browser of its own). Idempotent. Prints the environment the tests read:
#   eval "$(bash scripts/browser.sh)"
set -euo pipefail

log() { echo "browser: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_chromium() {
  command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && return 0
  log "installing chromium and chromium-driver"
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}

# Only the environment line may reach stdout (the caller evals it).
install_chromium 1>&2

echo "export TC_CANARY_TEST_CHROMIUM=$(command -v chromium)"
