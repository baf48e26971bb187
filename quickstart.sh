#!/usr/bin/env bash
# GPU Deck's two Quick-start commands (see README.md):
#   ./quickstart.sh        install what is missing, build, start GPU Deck
#   ./quickstart.sh test   install what is missing, build, run the whole test suite
# Both are idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
shift || true
BUILD_DIR="${GPUDECK_BUILD_DIR:-build}"

./installer/debian-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DGPUDECK_WERROR=ON >/dev/null
cmake --build "$BUILD_DIR" --parallel "$jobs"

case "$mode" in
  run)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec "$BUILD_DIR/src/gpudeck" "$@"
    fi
    echo "No display found: starting GPU Deck headless (API only). Stop it with Ctrl+C."
    exec "$BUILD_DIR/src/gpudeck" --headless "$@"
    ;;
  test)
    # Test-only tools from npm (a JSON Schema validator, the OpenAPI linter, the MCP conformance suite and the
    # Node.js 22 it runs on), pinned by tests/tools/package-lock.json; installed again only when the lock changed.
    tests/tools/install.sh
    # A private D-Bus session bus for the keychain tests; widgets render offscreen.
    export QT_QPA_PLATFORM=offscreen
    exec dbus-run-session -- ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 300 -j "$jobs" "$@"
    ;;
  *)
    echo "usage: ./quickstart.sh [run|test] [extra arguments]" >&2
    exit 2
    ;;
esac
