#!/usr/bin/env bash
# The API description's own checks (CTest openapi_lint): `redocly lint docs/openapi.yaml` with the repository's
# redocly.yaml must report no problem, and every schema in it must compile as strict JSON Schema 2020-12
# (tests/api/validate_answers.mjs without answers). Offline: no telemetry, no update check.
# Usage: openapi_lint.sh <tests/tools/node_modules>
set -euo pipefail
tools=${1:?usage: openapi_lint.sh <node_modules directory>}
root=$(cd "$(dirname "$0")/../.." && pwd)
node="$tools/.bin/node"
redocly="$tools/@redocly/cli/bin/cli.js"
if [ ! -x "$node" ] || [ ! -f "$redocly" ] || [ ! -d "$tools/ajv" ] || [ ! -d "$tools/yaml" ]; then
  echo "FAIL: the npm test tools are missing from $tools: run tests/tools/install.sh" >&2
  exit 1
fi
cd "$root" # redocly.yaml is read from here
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 NODE_OPTIONS=
"$node" "$redocly" lint --config redocly.yaml --max-problems 1000 docs/openapi.yaml
GPUDECK_TEST_TOOLS="$tools" "$node" tests/api/validate_answers.mjs docs/openapi.yaml
