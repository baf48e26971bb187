#!/usr/bin/env bash
# Load benchmark of the local REST API (loopback only), side by side with the stack it replaces.
#
#   tests/bench/api_bench.sh [path/to/gpudeck]      (default: build/src/gpudeck under the repo root)
#
# Starts `gpudeck --headless` on a free port with a temporary --data-dir and API_SERVER_KEY, seeds
# 100 connections, 20 projects and 1,000 jobs through the API (and 200 alerts and exec log entries into its
# database), copies the database and starts the Express reference on the copy (tests/bench/express: Express 4 +
# better-sqlite3, installed from npm into a scratch folder, the same guard and token), checks that both answer
# every measured route with the same JSON, then drives each route with wrk (2 threads, 50 connections,
# --latency) in interleaved rounds, GPU Deck then Express, BENCH_ROUNDS times, and prints per route each side's
# req/s, p99, CPU per request and the ratio. Then it stops both and removes its temporary files. It builds
# nothing. See tests/bench/README.md.
#
# Knobs (environment): BENCH_DURATION (5s per round and side), BENCH_ROUNDS (2), BENCH_THREADS (2),
# BENCH_CONNECTIONS (50), BENCH_EXPRESS=0 (GPU Deck alone), BENCH_EXPRESS_DIR (where Express is installed;
# build/bench-express), BENCH_ONLY (a regular expression: only the routes whose name matches),
# BENCH_VERBOSE=1 (print wrk's full output), BENCH_STRICT=1 (exit 1 when a target is missed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/src/gpudeck}
duration=${BENCH_DURATION:-5s}
rounds=${BENCH_ROUNDS:-2}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-50}
with_express=${BENCH_EXPRESS:-1}
express_dir=${BENCH_EXPRESS_DIR:-$root/build/bench-express}
only=${BENCH_ONLY:-}

# The targets this benchmark is recorded against: the single-object GET on its own, and every route at least
# 3 times Express's requests per second (issue 15).
target_rps=20000
target_p99_ms=5
target_ratio=3

die() { echo "api_bench: $*" >&2; exit 2; }
[ -x "$bin" ] || die "no gpudeck executable at '$bin' (build it first, or pass its path)"
for tool in wrk curl python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required (Debian: apt-get install $tool)"
done
if [ "$with_express" = 1 ]; then
  for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "'$tool' is required for the Express reference (Debian: apt-get install nodejs npm; or BENCH_EXPRESS=0)"
  done
fi

# The Express reference, installed once into $express_dir (npm install; better-sqlite3 builds from source with the
# Node.js headers, /usr/include/node on Debian) and again whenever its package.json changes.
install_express() {
  mkdir -p "$express_dir"
  cp "$here/express/server.js" "$express_dir/server.js"
  if ! cmp -s "$here/express/package.json" "$express_dir/package.json" || [ ! -d "$express_dir/node_modules" ]; then
    cp "$here/express/package.json" "$express_dir/package.json"
    echo "installing the Express reference into $express_dir (npm install) ..."
    (cd "$express_dir" && npm install --no-audit --no-fund --loglevel=error >"$express_dir/npm.log" 2>&1) ||
      { cat "$express_dir/npm.log" >&2; die "npm install of the Express reference failed (log above)"; }
  fi
}
[ "$with_express" = 1 ] && install_express

# Other work on the machine skews every figure: measure it for a second before starting.
cpu_busy_pct() { # share of all CPUs busy over 1 s, from /proc/stat
  local a b
  a=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{d = $4 - $2; printf "%.0f", (d > 0 ? 100 * ($3 - $1) / d : 0)}'
}
background=$(cpu_busy_pct)
if [ "$background" -gt 10 ]; then
  echo "api_bench: warning: the machine is already ${background}% busy before the benchmark; the figures will be low" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gpudeck-bench.XXXXXX")
pid=""
express_pid=""

stop_app() {
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do # up to 10 s for a clean shutdown
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "api_bench: the app did not stop on SIGTERM within 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  pid=""
}
stop_express() {
  [ -n "$express_pid" ] || return 0
  kill -TERM "$express_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$express_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$express_pid" 2>/dev/null || true
  wait "$express_pid" 2>/dev/null || true
  express_pid=""
}
cleanup() {
  stop_express
  stop_app
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A throwaway token for this run only.
API_SERVER_KEY=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
export API_SERVER_KEY

"$bin" --headless --data-dir "$work/data" --port 0 >"$work/app.log" 2>&1 &
pid=$!

port=""
for _ in $(seq 1 100); do # up to 10 s
  port=$(sed -n 's#.*API listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$work/app.log" | head -n1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/app.log" >&2; die "the app exited during start-up"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/app.log" >&2; die "the app did not report its port within 10 s"; }
base="http://127.0.0.1:$port"
echo "gpudeck $("$bin" --version | awk '{print $2}') pid $pid on $base ($(nproc) CPUs, ${background}% busy before start)"

seed_out=$(python3 "$here/seed_api.py" "$port" 100 20 1000 --db "$work/data/gpudeck.sqlite3")
echo "$seed_out"
first_job=$(echo "$seed_out" | sed -n 's/.*first job id \([0-9]*\).*/\1/p')
first_conn=$(echo "$seed_out" | sed -n 's/.*first connection id \([0-9]*\).*/\1/p')
first_project=$(echo "$seed_out" | sed -n 's/.*first project id \([0-9]*\).*/\1/p')
job_id=$((first_job + 499)) # a job in the middle of the table
conn_id=$((first_conn + 49))
project_id=$((first_project + 9))

auth=(-H "Authorization: Bearer $API_SERVER_KEY")
expect_200() { # base method path [curl args...]
  local url=$1 method=$2 path=$3
  shift 3
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$url$path")
  [ "$code" = 200 ] || die "$method $url$path answered $code, expected 200: not benchmarking an error path"
}
put_body='{"metrics":{"loss":0.4213,"step":1200,"tokens_per_s":5321.5}}'

# name|wrk script|path|compare with Express (1) or not (the baseline's answer is GPU Deck's own)
runs=(
  "GET /api/health (no DB, baseline)|auth_get.lua|/api/health|0"
  "GET /api/dgx/connections (100)|auth_get.lua|/api/dgx/connections|1"
  "GET /api/dgx/connections/:id|auth_get.lua|/api/dgx/connections/$conn_id|1"
  "GET /api/dgx/projects (20)|auth_get.lua|/api/dgx/projects|1"
  "GET /api/dgx/projects/:id (50 jobs)|auth_get.lua|/api/dgx/projects/$project_id|1"
  "GET /api/dgx/jobs (1000)|auth_get.lua|/api/dgx/jobs|1"
  "GET /api/dgx/jobs/:id|auth_get.lua|/api/dgx/jobs/$job_id|1"
  "GET /api/dgx/alerts (200)|auth_get.lua|/api/dgx/alerts|1"
  "GET /api/dgx/exec/log (100)|auth_get.lua|/api/dgx/exec/log|1"
  "GET /api/dgx/audit (100)|auth_get.lua|/api/dgx/audit|1"
  "PUT /api/dgx/jobs/:id|put_job.lua|/api/dgx/jobs/$job_id|1"
)
if [ -n "$only" ]; then
  kept=()
  for run in "${runs[@]}"; do
    [[ "${run%%|*}" =~ $only ]] && kept+=("$run")
  done
  runs=("${kept[@]}")
  [ "${#runs[@]}" -gt 0 ] || die "BENCH_ONLY='$only' matches no route"
fi

express_base=""
if [ "$with_express" = 1 ]; then
  # A consistent copy of the seeded database (SQLite's online backup), for Express alone.
  python3 -c 'import sqlite3, sys
src = sqlite3.connect(sys.argv[1]); dst = sqlite3.connect(sys.argv[2]); src.backup(dst); dst.close(); src.close()' \
    "$work/data/gpudeck.sqlite3" "$work/express.sqlite3"
  node "$express_dir/server.js" "$work/express.sqlite3" 0 >"$work/express.log" 2>&1 &
  express_pid=$!
  express_port=""
  for _ in $(seq 1 100); do
    express_port=$(sed -n 's/^listening on \([0-9][0-9]*\)$/\1/p' "$work/express.log" | head -n1)
    [ -n "$express_port" ] && break
    kill -0 "$express_pid" 2>/dev/null || { cat "$work/express.log" >&2; die "the Express reference exited"; }
    sleep 0.1
  done
  [ -n "$express_port" ] || die "the Express reference did not start within 10 s"
  express_base="http://127.0.0.1:$express_port"
  echo "express $(node -p 'require(process.argv[1] + "/node_modules/express/package.json").version' "$express_dir") + better-sqlite3 $(node -p 'require(process.argv[1] + "/node_modules/better-sqlite3/package.json").version' "$express_dir") (node $(node --version)) pid $express_pid on $express_base"
fi

# Every measured route answers 200, and (with Express) the same JSON on both sides. The PUT comes last, after the
# audit log was compared (each side records its PUTs with its own clock); its job is compared after it.
for run in "${runs[@]}"; do
  IFS='|' read -r name script path compare <<<"$run"
  method=GET
  args=()
  if [ "$script" = put_job.lua ]; then
    method=PUT
    args=(-H 'Content-Type: application/json' --data "$put_body")
  fi
  expect_200 "$base" "$method" "$path" "${args[@]}"
  if [ -n "$express_base" ]; then
    expect_200 "$express_base" "$method" "$path" "${args[@]}"
    if [ "$compare" = 1 ]; then
      curl -sS "${auth[@]}" "$base$path" >"$work/a.json"
      curl -sS "${auth[@]}" "$express_base$path" >"$work/b.json"
      python3 -c 'import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b else 1)' "$work/a.json" "$work/b.json" ||
        die "$path: Express answers other JSON than GPU Deck (see tests/bench/express/server.js)"
    fi
  fi
done
[ -n "$express_base" ] && echo "both answer every measured route with the same JSON"

clk_tck=$(getconf CLK_TCK)
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process
# All CPUs' user + nice + system + steal time. Interrupt and softirq time (where the kernel does much of
# the loopback TCP work of both sides) is left out, as it is from the per-process times below.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $9}' /proc/stat; }
# User + system time of this shell's finished children (wrk), from the `times` builtin. `times` must run
# in this shell, not in a $(...) subshell, which has no children of its own: snapshot it to a file first.
children_ticks() { # file written by `times`
  awk -v tck="$clk_tck" 'NR == 2 {
      t = 0
      for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
      printf "%.0f", t * tck
    }' "$1"
}

# Waits (up to 10 s) until a server has worked off what the previous run left queued: wrk stops sending at the
# end of its run, but a server may still be answering requests it had read, which would land in the next run.
settle() { # pid
  local before after
  for _ in $(seq 1 50); do
    before=$(proc_ticks "$1")
    sleep 0.2
    after=$(proc_ticks "$1")
    [ "$after" -le "$((before + 1))" ] && return 0
  done
}

# One wrk run: prints "req/s|p50|p90|p99|non-2xx|socket errors|server CPU %|wrk CPU %|others %|server CPU ms per
# request".
measure() { # server pid, url, script, output file
  local spid=$1 url=$2 script=$3 out=$4
  times >"$work/times0.txt"
  local s0 m0 start_ns elapsed_ns s1 m1 c0 c1
  s0=$(proc_ticks "$spid") m0=$(machine_ticks)
  start_ns=$(date +%s%N)
  wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s "$here/$script" "$url" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed on $url"; }
  elapsed_ns=$(($(date +%s%N) - start_ns))
  s1=$(proc_ticks "$spid") m1=$(machine_ticks)
  times >"$work/times1.txt"
  c0=$(children_ticks "$work/times0.txt") c1=$(children_ticks "$work/times1.txt")
  [ "${BENCH_VERBOSE:-0}" = 1 ] && cat "$out" >&2
  awk -v app="$((s1 - s0))" -v wrkt="$((c1 - c0))" -v all="$((m1 - m0))" \
    -v tck="$clk_tck" -v ns="$elapsed_ns" '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
      return v + 0
    }
    function pct(t) { return 100 * (t / tck) / (ns / 1e9) }
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { total = $1 }
    /^ +50% / { p50 = ms($2) }
    /^ +90% / { p90 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { errs = $0; sub(/.*Socket errors: */, "", errs) }
    END {
      other = pct(all) - pct(app) - pct(wrkt)
      printf "%.0f|%.2f|%.2f|%.2f|%d|%s|%.0f|%.0f|%.0f|%.3f\n", rps, p50, p90, p99, non2xx,
             (errs == "" ? "none" : errs), pct(app), pct(wrkt), (other < 0 ? 0 : other),
             (total > 0 ? 1000 * (app / tck) / total : 0)
    }' "$out"
}

# Per route and side: the sum of req/s over the rounds, the worst p99, the sum of CPU ms per request, the sum
# of non-2xx answers, the worst 'others'; averaged when printed.
declare -A rps_sum p99_max cpu_sum non2xx_sum other_max p50_sum errs_any
disturbed=0
for round in $(seq 1 "$rounds"); do
  for run in "${runs[@]}"; do
    IFS='|' read -r name script path compare <<<"$run"
    sides=(gpudeck)
    [ -n "$express_base" ] && sides+=(express)
    for side in "${sides[@]}"; do
      if [ "$side" = gpudeck ]; then url="$base$path" spid=$pid; else url="$express_base$path" spid=$express_pid; fi
      settle "$pid"
      [ -n "$express_pid" ] && settle "$express_pid"
      echo "round $round/$rounds, $side: wrk -t$threads -c$connections -d$duration --latency $name ..."
      line=$(measure "$spid" "$url" "$script" "$work/wrk.txt")
      IFS='|' read -r rps p50 p90 p99 non2xx errs cpu wcpu other cpr <<<"$line"
      key="$name|$side"
      rps_sum[$key]=$(awk -v a="${rps_sum[$key]:-0}" -v b="$rps" 'BEGIN { print a + b }')
      p50_sum[$key]=$(awk -v a="${p50_sum[$key]:-0}" -v b="$p50" 'BEGIN { print a + b }')
      p99_max[$key]=$(awk -v a="${p99_max[$key]:-0}" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')
      cpu_sum[$key]=$(awk -v a="${cpu_sum[$key]:-0}" -v b="$cpr" 'BEGIN { print a + b }')
      non2xx_sum[$key]=$((${non2xx_sum[$key]:-0} + non2xx))
      other_max[$key]=$(awk -v a="${other_max[$key]:-0}" -v b="$other" 'BEGIN { print (b > a ? b : a) }')
      [ "$errs" = none ] || errs_any[$key]="$errs"
      [ "$other" -le 15 ] || disturbed=1
    done
  done
done

echo
fmt='%-36s %9s %7s %7s %8s %9s %7s %8s %6s %7s\n'
printf "$fmt" "route" "GD req/s" "GD p50" "GD p99" "GD CPU" "Ex req/s" "Ex p99" "Ex CPU" "ratio" "others"
printf "$fmt" "-----" "--------" "------" "------" "------" "--------" "------" "------" "-----" "------"
target_line=""
missed_ratio=""
for run in "${runs[@]}"; do
  IFS='|' read -r name script path compare <<<"$run"
  g="$name|gpudeck" e="$name|express"
  g_rps=$(awk -v s="${rps_sum[$g]}" -v n="$rounds" 'BEGIN { printf "%.0f", s / n }')
  g_p50=$(awk -v s="${p50_sum[$g]}" -v n="$rounds" 'BEGIN { printf "%.2f", s / n }')
  g_cpu=$(awk -v s="${cpu_sum[$g]}" -v n="$rounds" 'BEGIN { printf "%.3f", s / n }')
  e_rps="-" e_p99="-" e_cpu="-" ratio="-"
  other=${other_max[$g]}
  if [ -n "$express_base" ]; then
    e_rps=$(awk -v s="${rps_sum[$e]}" -v n="$rounds" 'BEGIN { printf "%.0f", s / n }')
    e_p99=${p99_max[$e]}
    e_cpu=$(awk -v s="${cpu_sum[$e]}" -v n="$rounds" 'BEGIN { printf "%.3f", s / n }')
    ratio=$(awk -v a="$g_rps" -v b="$e_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    other=$(awk -v a="$other" -v b="${other_max[$e]}" 'BEGIN { print (b > a ? b : a) }')
    if [ "$compare" = 1 ] && awk -v r="$ratio" -v t="$target_ratio" 'BEGIN { exit !(r < t) }'; then
      missed_ratio="$missed_ratio ${name%% (*}"
    fi
  fi
  printf "$fmt" "$name" "$g_rps" "$g_p50" "${p99_max[$g]}" "$g_cpu" "$e_rps" "$e_p99" "$e_cpu" "$ratio" "$other%"
  for side in gpudeck express; do
    [ -z "${errs_any[$name|$side]:-}" ] || echo "    $side socket errors: ${errs_any[$name|$side]}"
    [ "${non2xx_sum[$name|$side]:-0}" = 0 ] || echo "    $side non-2xx answers: ${non2xx_sum[$name|$side]}"
  done
  case "$name" in "GET /api/dgx/jobs/:id"*) target_line="$g_rps|${p99_max[$g]}|${non2xx_sum[$g]}" ;; esac
done
echo "(GD: GPU Deck, Ex: Express; req/s and p50 are the mean of $rounds interleaved rounds of $duration each, p99 the"
echo " worst round; CPU: the server's user+system CPU time per request in ms; ratio: GD req/s / Ex req/s; others:"
echo " the most CPU anything but the server and wrk used in a round, % of one core. wrk: $threads threads,"
echo " $connections connections, 127.0.0.1, $(nproc) CPUs.)"
if [ "$disturbed" = 1 ]; then
  echo "api_bench: warning: other processes used the CPU during a run (see 'others'): those figures are low" >&2
fi

after_bg=$(cpu_busy_pct) # the servers are idle now: this is everyone else
echo "machine busy with other work: ${background}% before the runs, ${after_bg}% after"
rss=$(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$pid/status")
echo "GPU Deck memory after the runs: VmRSS $rss (peak VmHWM $hwm)"
if [ -n "$express_pid" ]; then
  echo "Express memory after the runs: VmRSS $(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$express_pid/status")" \
    "(peak VmHWM $(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$express_pid/status"))"
fi

verdict=met
if [ -n "$target_line" ]; then
  IFS='|' read -r t_rps t_p99 t_non2xx <<<"$target_line"
  verdict=$(awk -v r="$t_rps" -v p="$t_p99" -v n="$t_non2xx" -v tr="$target_rps" -v tp="$target_p99_ms" \
    'BEGIN { print ((r >= tr && p < tp && n == 0) ? "met" : "MISSED") }')
  echo "target (single-object GET: >= $target_rps req/s, p99 < $target_p99_ms ms, no errors): $verdict"
fi
if [ -n "$express_base" ]; then
  if [ -z "$missed_ratio" ]; then
    echo "target (every route >= ${target_ratio}x Express's req/s): met"
  else
    echo "target (every route >= ${target_ratio}x Express's req/s): MISSED on$missed_ratio"
    verdict=MISSED
  fi
fi

cleanup
echo "servers stopped; temporary files removed"
if [ "$verdict" != met ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
  exit 1
fi
