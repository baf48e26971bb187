#!/usr/bin/env bash
# Screenshots of every pane of the window, for a person to look at (CI keeps them as artifacts; never commit them):
# Fleet, Connections, GPUs, Models and Jobs with a few connections, plus the first-start welcome (no connection
# yet) of Fleet and Connections, in light (Fusion) and dark (Adwaita-Dark), English and German, at 1600×1000 and
# 1280×720. Each size runs in its own Xvfb; the panes are switched with the View menu's Ctrl+1 … Ctrl+5.
#
#   tests/screenshots/take.sh [OUT_DIR]      (default build/screenshots; GPUDECK_BIN default build/src/gpudeck)
#
# Writes OUT_DIR/<size>/<lang>-<theme>-<n>-<pane>.png. Fails when a tool is missing, the window does not come
# up, or a shot's brightness does not match its theme (a dark style that did not load).
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT="${1:-build/screenshots}"
BIN="${GPUDECK_BIN:-build/src/gpudeck}"
SIZES=(${GPUDECK_SHOT_SIZES:-1600x1000 1280x720})
LANGS=(${GPUDECK_SHOT_LANGS:-en de})
THEMES=(${GPUDECK_SHOT_THEMES:-light dark})
PANES=(fleet connections gpus models jobs) # the order of the pane list: Ctrl+1 … Ctrl+5
TOKEN=screenshot-token

for tool in Xvfb xdotool import identify curl python3; do
  command -v "$tool" >/dev/null || { echo "take.sh: $tool is missing (installer/debian-deps.sh installs it)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "take.sh: $BIN is not built" >&2; exit 1; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

WORK="$(mktemp -d)"
XVFB_PID=""
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs GPU Deck in its own environment: its own home, settings and data, nothing of the user's (no ~/.ssh/config,
# no window geometry). Only ever in the background (`run_app … &`): it execs, so $! is GPU Deck itself.
run_app() {
  exec env -i PATH="$PATH" HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" \
    XDG_RUNTIME_DIR="$WORK/runtime" API_SERVER_KEY="$TOKEN" "$@"
}

wait_for_api() { # port pid
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$1/api/health" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "take.sh: GPU Deck exited at start" >&2; return 1; }
    sleep 0.2
  done
  echo "take.sh: GPU Deck's API did not come up on port $1" >&2
  return 1
}

api() { # port method path json
  curl -sSf -X "$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$4" \
    "http://127.0.0.1:$1$3" >/dev/null
}

stop_app() {
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

mkdir -p "$WORK/home" "$WORK/config" "$WORK/share" "$WORK/runtime"
chmod 700 "$WORK/runtime"

# ---- The seeded data: a few connections (this computer, two hosts that are not there, a sleeping one), a project
# with jobs. Made through the API of a headless GPU Deck, as a user's scripts would.
port="$(free_port)"
run_app "$BIN" --headless --data-dir "$WORK/seeded" --port "$port" >"$WORK/seed.log" 2>&1 &
APP_PID=$!
wait_for_api "$port" "$APP_PID" || { cat "$WORK/seed.log" >&2; exit 1; }
api "$port" POST /api/dgx/connections '{"name": "this-computer", "kind": "local"}'
api "$port" POST /api/dgx/connections '{"name": "spark-1", "hostname": "203.0.113.10", "username": "user",
  "kind": "dgx-spark", "ssh_key_path": "~/.ssh/id_ed25519", "watch": false}'
api "$port" POST /api/dgx/connections '{"name": "spark-2", "hostname": "203.0.113.11", "username": "user",
  "kind": "dgx-spark", "mac_address": "00:00:5e:00:53:01", "watch": false}'
api "$port" POST /api/dgx/connections '{"name": "lab-node", "hostname": "203.0.113.21", "port": 2222,
  "username": "lab", "watch": false}'
api "$port" POST /api/dgx/projects '{"connection_id": "this-computer", "name": "llama-finetune",
  "description": "LoRA fine-tune of a 7B model", "project_type": "nlp", "remote_path": "/tmp/llama-finetune"}'
api "$port" POST /api/dgx/jobs '{"project_id": 1, "name": "lora-r16", "model_name": "example-model-7b",
  "command": "python train.py --rank 16"}'
api "$port" POST /api/dgx/jobs '{"project_id": 1, "name": "lora-r32", "model_name": "example-model-7b",
  "command": "python train.py --rank 32"}'
stop_app

brightness_ok() { # file theme
  local mean
  mean="$(identify -format '%[fx:mean]' "$1")"
  if [ "$2" = dark ]; then
    python3 -c "import sys; sys.exit(0 if $mean < 0.45 else 1)"
  else
    python3 -c "import sys; sys.exit(0 if $mean > 0.55 else 1)"
  fi
}

shoot() { # display file theme
  DISPLAY="$1" import -window "$WINDOW" "$2"
  brightness_ok "$2" "$3" || { echo "take.sh: $2 is not $3 (mean $(identify -format '%[fx:mean]' "$2"))" >&2; exit 1; }
  count=$((count + 1))
}

# Starts the window on `display` with `data` in `lang` and `theme`, full-screen; its window id in WINDOW.
start_window() { # display size data lang theme
  local locale=en_US.UTF-8 style=Fusion port
  [ "$4" = de ] && locale=de_DE.UTF-8
  [ "$5" = dark ] && style=Adwaita-Dark
  port="$(free_port)"
  rm -rf "$WORK/config"
  mkdir -p "$WORK/config"
  run_app DISPLAY="$1" QT_QPA_PLATFORM=xcb LANG="$locale" LC_ALL="$locale" LANGUAGE="$4" \
    "$BIN" -style "$style" --data-dir "$3" --port "$port" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  wait_for_api "$port" "$APP_PID" || { tail -50 "$WORK/app.log" >&2; exit 1; }
  WINDOW="$(DISPLAY="$1" timeout 30 xdotool search --sync --onlyvisible --class gpudeck | tail -1)"
  [ -n "$WINDOW" ] || { echo "take.sh: no GPU Deck window on $1" >&2; exit 1; }
  DISPLAY="$1" xdotool windowmove --sync "$WINDOW" 0 0 windowsize --sync "$WINDOW" "${2%x*}" "${2#*x}" \
    windowfocus --sync "$WINDOW"
  sleep 2 # the first fleet snapshot, the first metrics
}

show_pane() { # display n
  DISPLAY="$1" xdotool key --clearmodifiers "ctrl+$2"
  sleep 1.2
}

count=0
for size in "${SIZES[@]}"; do
  mkdir -p "$OUT/$size"
  Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
  XVFB_PID=$!
  for _ in $(seq 1 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
  [ -s "$WORK/display" ] || { echo "take.sh: Xvfb did not start" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }
  display=":$(head -1 "$WORK/display")"
  for lang in "${LANGS[@]}"; do
    for theme in "${THEMES[@]}"; do
      # First start: no connection yet.
      rm -rf "$WORK/empty"
      start_window "$display" "$size" "$WORK/empty" "$lang" "$theme"
      show_pane "$display" 1
      shoot "$display" "$OUT/$size/$lang-$theme-0-fleet-welcome.png" "$theme"
      show_pane "$display" 2
      shoot "$display" "$OUT/$size/$lang-$theme-0-connections-welcome.png" "$theme"
      stop_app
      # With the seeded connections, project and jobs (a copy: the app writes to its data).
      rm -rf "$WORK/data"
      cp -a "$WORK/seeded" "$WORK/data"
      start_window "$display" "$size" "$WORK/data" "$lang" "$theme"
      for i in "${!PANES[@]}"; do
        show_pane "$display" "$((i + 1))"
        shoot "$display" "$OUT/$size/$lang-$theme-$((i + 1))-${PANES[$i]}.png" "$theme"
      done
      stop_app
    done
  done
  kill "$XVFB_PID" 2>/dev/null || true
  wait "$XVFB_PID" 2>/dev/null || true
  XVFB_PID=""
  : >"$WORK/display"
done
echo "take.sh: $count screenshots in $OUT"
