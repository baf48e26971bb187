#!/usr/bin/env bash
# Builds GPU Deck with sanitizers, in a build folder of its own, and runs the core tests (all but the widget tests)
# under them:
#   tests/sanitize.sh address [ctest args]   AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/
#   tests/sanitize.sh thread  [ctest args]   ThreadSanitizer, in build-tsan/
# Extra arguments go to ctest (e.g. -R tst_jobs_e2e). Any report fails the test that caused it.
# Suppressions (tests/sanitizers/) cover only libraries we do not build (Qt, libssh, QtKeychain, GLib): Debian's
# copies are not instrumented, so their internal synchronisation is invisible to the sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:-}"
shift || true
case "$kind" in
  address) dir=build-asan ;;
  thread) dir=build-tsan ;;
  *) echo "usage: tests/sanitize.sh address|thread [ctest arguments]" >&2; exit 2 ;;
esac

./installer/debian-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DGPUDECK_SANITIZE="$kind" >/dev/null
cmake --build "$dir" --parallel "$jobs"

supp="$PWD/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=0:die_after_fork=0"
export QT_QPA_PLATFORM=offscreen
# Sanitized code runs 2-15x slower: the timeouts are wider than the normal suite's.
exec dbus-run-session -- ctest --test-dir "$dir" -L core --output-on-failure --timeout 900 -j "$jobs" "$@"
