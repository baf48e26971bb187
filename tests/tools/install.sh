#!/usr/bin/env bash
# Installs the test-only npm tools pinned in package-lock.json into tests/tools/node_modules (npm ci).
# Idempotent: nothing happens when node_modules already matches the lock. Needs npm (Debian: nodejs npm).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
  echo "Installing Debian's nodejs and npm (for the test-only tools)"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi
stamp=node_modules/.gpudeck-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
