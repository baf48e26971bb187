#!/usr/bin/env bash
# Host-side CPU cost per GPU sample: a fresh `nvidia-smi --query-gpu=...` process per sample (what a poller that
# spawns a command each time costs the host) against one `nvidia-smi ... -lms 200` process that prints 20 samples
# (what GPU Deck runs). Measured the way tests/fixtures/nvidia-smi/h100-driver580/poll-cost.txt was recorded on a
# real H100 (20 samples each, user + sys CPU of the processes, from bash's `time`), but with the replaying fake nvidia-smi
# (tests/fake/nvidia-smi, python3), so it measures the SHAPE of the cost (start-up paid per sample vs once), not
# the real driver's figures: the fake's start-up is a python interpreter's, not NVML's.
#
#   tests/bench/metrics_host_cost.sh                 # 20 samples, 3 repetitions, 1 GPU
#   SAMPLES=20 REPEAT=5 GPUS=8 tests/bench/metrics_host_cost.sh
#
# Prints its figures; asserts nothing. Needs bash and python3 (/usr/bin/python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fake="$repo/tests/fake/nvidia-smi"
fixtures="${FIXTURES:-$repo/tests/fixtures/nvidia-smi/h100-driver580}"
samples="${SAMPLES:-20}"
repeat="${REPEAT:-3}"
gpus="${GPUS:-1}"
interval_ms="${INTERVAL_MS:-200}"

[ -x "$fake" ] || { echo "no executable fake nvidia-smi at $fake" >&2; exit 2; }
[ -f "$fixtures/load/loop.csv" ] || { echo "no fixtures at $fixtures (tests/fixtures/nvidia-smi in the repository)" >&2; exit 2; }

# Exactly the fields GPU Deck asks for (NvidiaSmiParser::queryFields, the fixture README's list).
F=timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,temperature.memory,power.draw,power.limit,fan.speed,clocks.sm,clocks.mem,clocks.max.sm,clocks_throttle_reasons.active,ecc.errors.uncorrected.volatile.total

export FAKE_NVIDIA_SMI_FIXTURES="$fixtures/load"
export FAKE_NVIDIA_SMI_GPUS="$gpus"
export FAKE_NVIDIA_SMI_CONFIG=/dev/null                   # no config file next to the script: only these
export FAKE_NVIDIA_SMI_CONTROL=/nonexistent/control
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# bash's `time`: wall, user, sys (ms resolution) of the command and every child it waited for.
measure() { # command...
    local out="$tmp/time"
    local TIMEFORMAT='%3R %3U %3S'
    { time "$@" > "$tmp/stdout"; } 2> "$out"
    local lines
    lines=$(wc -l < "$tmp/stdout")
    if [ "$lines" -ne $((samples * gpus)) ]; then
        echo "expected $((samples * gpus)) lines, got $lines" >&2
        exit 1
    fi
    tail -n 1 "$out"
}

fresh() { # one process per sample, back to back
    local i
    for ((i = 0; i < samples; i++)); do
        "$fake" --query-gpu="$F" --format=csv,noheader,nounits
    done
}
export -f fresh
export fake F samples

echo "host-side CPU per sample: fake nvidia-smi ($fake), $samples samples, $gpus GPU(s), $repeat repetitions"
printf '%-34s %9s %9s %9s %12s\n' "" "wall s" "user s" "sys s" "CPU/sample"
fresh_cpu=()
loop_cpu=()
for ((r = 1; r <= repeat; r++)); do
    read -r w u s < <(measure bash -c fresh)
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    fresh_cpu+=("$cpu")
    printf '%-34s %9s %9s %9s %9.1f ms\n' "fresh process per sample ($r)" "$w" "$u" "$s" \
        "$(awk -v c="$cpu" -v n="$samples" 'BEGIN { print 1000 * c / n }')"

    read -r w u s < <(FAKE_NVIDIA_SMI_TICKS="$samples" measure "$fake" --query-gpu="$F" --format=csv,noheader,nounits -lms "$interval_ms")
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    loop_cpu+=("$cpu")
    printf '%-34s %9s %9s %9s %9.1f ms\n' "one -lms $interval_ms process ($r)" "$w" "$u" "$s" \
        "$(awk -v c="$cpu" -v n="$samples" 'BEGIN { print 1000 * c / n }')"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mf=$(median "${fresh_cpu[@]}")
ml=$(median "${loop_cpu[@]}")
echo
awk -v f="$mf" -v l="$ml" -v n="$samples" 'BEGIN {
    printf "median CPU for %d samples: fresh process per sample %.3f s (%.1f ms/sample), one loop %.3f s (%.1f ms/sample)\n", n, f, 1000 * f / n, l, 1000 * l / n
    if (l > 0) printf "ratio fresh / loop: %.1fx\n", f / l; else print "ratio fresh / loop: loop CPU below the clock resolution"
}'
if [ -f "$fixtures/poll-cost.txt" ]; then
    echo
    echo "for comparison, the real nvidia-smi on an H100 (fixtures poll-cost.txt):"
    sed 's/^/  /' "$fixtures/poll-cost.txt"
fi
