#!/usr/bin/env bash
# tst_mcp_conformance: the official MCP conformance suite against a headless GPU Deck.
#
# The suite cannot send an Authorization header (it has no option for one), and GPU Deck requires its token on
# /mcp like everywhere else. So the suite talks to auth_proxy.mjs, a loopback proxy that forwards every request
# unchanged (Host and Origin included: the suite's DNS-rebinding checks reach GPU Deck's own guard) and adds
# only the bearer token. GPU Deck runs exactly as shipped; no test-only switch weakens its token check.
#
# Usage: conformance.sh <gpudeck executable> <tests/tools directory>
set -euo pipefail
gpudeck=$1
tools=$2
here=$(cd "$(dirname "$0")" && pwd)
node=$tools/node_modules/.bin/node
suite=$tools/node_modules/@modelcontextprotocol/conformance/dist/index.js
if [ ! -x "$node" ] || [ ! -f "$suite" ]; then
  echo "FAIL: the npm test tools are missing ($node, $suite): run tests/tools/install.sh" >&2
  exit 1
fi

work=$(mktemp -d)
gpudeck_pid=
proxy_pid=
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  if [ -n "$gpudeck_pid" ]; then
    kill "$gpudeck_pid" 2>/dev/null || true
    wait "$gpudeck_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
API_SERVER_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export API_SERVER_KEY
QT_QPA_PLATFORM=offscreen "$gpudeck" --headless --data-dir "$work/data" --port "$port" >"$work/gpudeck.log" 2>&1 &
gpudeck_pid=$!
for _ in $(seq 1 200); do
  grep -q "API listening" "$work/gpudeck.log" 2>/dev/null && break
  kill -0 "$gpudeck_pid" 2>/dev/null || { echo "FAIL: gpudeck exited:" >&2; cat "$work/gpudeck.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "API listening" "$work/gpudeck.log" || { echo "FAIL: gpudeck did not start:" >&2; cat "$work/gpudeck.log" >&2; exit 1; }

"$node" "$here/auth_proxy.mjs" "$port" >"$work/proxy.out" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do
  grep -q "^listening" "$work/proxy.out" 2>/dev/null && break
  sleep 0.1
done
proxy_port=$(awk '/^listening/ {print $2}' "$work/proxy.out")
[ -n "$proxy_port" ] || { echo "FAIL: the proxy did not start:" >&2; cat "$work/proxy.out" >&2; exit 1; }

# Without the token GPU Deck refuses the suite: the proxy is the only way in.
status=$(python3 - "$port" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
c.request("POST", "/mcp", '{"jsonrpc":"2.0","id":1,"method":"ping"}', {"Content-Type": "application/json"})
print(c.getresponse().status)
PY
)
[ "$status" = 401 ] || { echo "FAIL: /mcp without a token answered $status, not 401" >&2; exit 1; }

cd "$work"
"$node" "$suite" server --url "http://127.0.0.1:$proxy_port/mcp" \
  --expected-failures "$here/conformance-expected-failures.yml" -o "$work/results"
