#!/usr/bin/env bash
# Load benchmark of the local REST API (loopback only).
#
#   tests/bench/api_bench.sh [path/to/gpudeck]      (default: build/src/gpudeck under the repo root)
#
# Starts `gpudeck --headless` on a free port with a temporary --data-dir and API_SERVER_KEY, seeds
# 100 connections, 20 projects and 1,000 jobs through the API, drives it with wrk (2 threads,
# 50 connections, ~10 s per endpoint, --latency), prints a summary table and the app's RSS, then stops
# the app and removes its temporary files. It builds nothing. See tests/bench/README.md.
#
# Knobs (environment): BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (50),
# BENCH_VERBOSE=1 (print wrk's full output), BENCH_STRICT=1 (exit 1 when the target is missed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/src/gpudeck}
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-50}

# The target this benchmark is recorded against (single-object GET).
target_rps=20000
target_p99_ms=5

die() { echo "api_bench: $*" >&2; exit 2; }
[ -x "$bin" ] || die "no gpudeck executable at '$bin' (build it first, or pass its path)"
for tool in wrk curl python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required (Debian: apt-get install $tool)"
done

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
cleanup() {
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

seed_out=$(python3 "$here/seed_api.py" "$port" 100 20 1000)
echo "$seed_out"
first_job=$(echo "$seed_out" | awk '{print $NF}')
job_id=$((first_job + 499)) # a job in the middle of the table

auth=(-H "Authorization: Bearer $API_SERVER_KEY")
expect_200() { # method path [curl args...]
  local method=$1 path=$2
  shift 2
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$base$path")
  [ "$code" = 200 ] || die "$method $path answered $code, expected 200: not benchmarking an error path"
}
put_body='{"metrics":{"loss":0.4213,"step":1200,"tokens_per_s":5321.5}}'
expect_200 GET /api/health
expect_200 GET /api/dgx/connections
expect_200 GET "/api/dgx/jobs/$job_id"
expect_200 PUT "/api/dgx/jobs/$job_id" -H 'Content-Type: application/json' --data "$put_body"

clk_tck=$(getconf CLK_TCK)
app_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # utime + stime of the app
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

# name|wrk script|path
runs=(
  "GET /api/health (no DB, baseline)|auth_get.lua|/api/health"
  "GET /api/dgx/connections (100)|auth_get.lua|/api/dgx/connections"
  "GET /api/dgx/jobs/$job_id|auth_get.lua|/api/dgx/jobs/$job_id"
  "PUT /api/dgx/jobs/$job_id|put_job.lua|/api/dgx/jobs/$job_id"
)

results=()
for run in "${runs[@]}"; do
  IFS='|' read -r name script path <<<"$run"
  out="$work/wrk-$(echo "$path" | tr -c 'a-z0-9' '_').txt"
  echo "wrk -t$threads -c$connections -d$duration --latency: $name ..."
  times >"$work/times0.txt"
  app0=$(app_ticks) machine0=$(machine_ticks)
  start_ns=$(date +%s%N)
  wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s "$here/$script" "$base$path" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed on $name"; }
  elapsed_ns=$(($(date +%s%N) - start_ns))
  app1=$(app_ticks) machine1=$(machine_ticks)
  times >"$work/times1.txt"
  child0=$(children_ticks "$work/times0.txt") child1=$(children_ticks "$work/times1.txt")
  [ "${BENCH_VERBOSE:-0}" = 1 ] && cat "$out"
  # requests/s, p50, p90, p99 (in ms), non-2xx count, socket errors, app / wrk / other CPU (% of one core)
  line=$(awk -v app="$((app1 - app0))" -v wrkt="$((child1 - child0))" -v all="$((machine1 - machine0))" \
    -v tck="$clk_tck" -v ns="$elapsed_ns" '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
      return v + 0
    }
    function pct(t) { return 100 * (t / tck) / (ns / 1e9) }
    /^Requests\/sec:/ { rps = $2 }
    /^ +50% / { p50 = ms($2) }
    /^ +90% / { p90 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { errs = $0; sub(/.*Socket errors: */, "", errs) }
    END {
      other = pct(all) - pct(app) - pct(wrkt)
      printf "%.0f|%.2f|%.2f|%.2f|%d|%s|%.0f|%.0f|%.0f\n", rps, p50, p90, p99, non2xx,
             (errs == "" ? "none" : errs), pct(app), pct(wrkt), (other < 0 ? 0 : other)
    }' "$out")
  results+=("$name|$line")
done

echo
fmt='%-34s %8s %8s %8s %8s %8s %8s %8s %8s\n'
printf "$fmt" "endpoint" "req/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx" "app CPU" "wrk CPU" "others"
printf "$fmt" "--------" "-----" "------" "------" "------" "-------" "-------" "-------" "------"
target_line=""
disturbed=0
for r in "${results[@]}"; do
  IFS='|' read -r name rps p50 p90 p99 non2xx errs cpu wcpu other <<<"$r"
  printf "$fmt" "$name" "$rps" "$p50" "$p90" "$p99" "$non2xx" "$cpu%" "$wcpu%" "$other%"
  [ "$errs" = none ] || echo "    socket errors: $errs"
  [ "$other" -le 15 ] || disturbed=1
  case "$name" in "GET /api/dgx/jobs/"*) target_line="$rps|$p99|$non2xx" ;; esac
done
echo "(wrk: $threads threads, $connections connections, $duration per endpoint, 127.0.0.1. CPU columns: user+system"
echo " time over the run, 100% = one core of $(nproc); 'others' = everything else on the machine.)"
if [ "$disturbed" = 1 ]; then
  echo "api_bench: warning: other processes used the CPU during a run (see 'others'): those figures are low" >&2
fi

after_bg=$(cpu_busy_pct) # the app is idle now: this is everyone else
echo "machine busy with other work: ${background}% before the runs, ${after_bg}% after"
rss=$(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$pid/status")
echo "app memory after the runs: VmRSS $rss (peak VmHWM $hwm)"

IFS='|' read -r t_rps t_p99 t_non2xx <<<"$target_line"
verdict=$(awk -v r="$t_rps" -v p="$t_p99" -v n="$t_non2xx" -v tr="$target_rps" -v tp="$target_p99_ms" \
  'BEGIN { print ((r >= tr && p < tp && n == 0) ? "met" : "MISSED") }')
echo "target (single-object GET: >= $target_rps req/s, p99 < $target_p99_ms ms, no errors): $verdict"

cleanup
echo "app stopped; temporary files removed"
if [ "$verdict" != met ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
  exit 1
fi
