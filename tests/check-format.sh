#!/usr/bin/env bash
# Checks that every C++ file in src/ and tests/ is formatted as .clang-format says (Debian 12's clang-format 14).
# With --fix, formats them in place instead.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format is missing: ./installer/debian-deps.sh installs it" >&2; exit 2; }
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/gpudeck-format.$$; then
  grep -E '^[^ ].*: error:' /tmp/gpudeck-format.$$ | cut -d: -f1 | sort -u | sed 's/^/not formatted: /' >&2
  rm -f /tmp/gpudeck-format.$$
  echo "run tests/check-format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/gpudeck-format.$$
echo "format: ${#files[@]} files formatted as .clang-format says"
