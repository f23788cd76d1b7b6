#!/usr/bin/env bash
# The container workloads of the spine issue, Skiff vs Docker vs Podman in one run:
# start latency, 50 detached starts (sequential and 8 in parallel), rm -f of 50, exec, logs throughput,
# attach throughput, daemon memory. Prints a table of medians and ratios (lower is better for times).
#   RUNS=10 LOG_MIB=200 ENGINES="skiff docker podman" bench/containers.sh   (EXEC_RUNS=20: execs per median)
. "$(dirname "$0")/lib.sh"
LOG_MIB="${LOG_MIB:-200}"
N="${N:-50}"

rss_kib() { # total RSS of the given PIDs, KiB
  local total=0 p
  for p in "$@"; do total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done
  echo $total
}
engine_pids() { # the engine's own processes (daemon side), not the containers
  case $1 in
    skiff) cat "$WORK/skiff/pid"; pgrep -f "conmon.*$WORK/skiff" || true ;;
    docker) cat "$WORK/docker/pid"; pgrep -f "containerd.*skiffbench$$" || true; pgrep -f "containerd-shim.*skiffbench$$" || true ;;
    podman) pgrep -f "conmon.*$WORK/podman" || true ;;
  esac
}

declare -A R
for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  engine_start "$e"
  import_busybox "$e"
  f=$(run_flags "$e")
  idle=$(rss_kib $(engine_pids "$e"))
  engine_cli "$e" run --rm $f busybox true >/dev/null 2>&1 || true   # warm-up
  R[$e,start]=$(repeat_median "$RUNS" engine_cli "$e" run --rm $f busybox true)

  # the baseline for the per-container figure is taken after the start-latency runs, not on the fresh engine:
  # what a running container adds, not what the engine's first containers cost it once (classes, JIT, heap)
  base=$(rss_kib $(engine_pids "$e"))
  t0=$(now_ns)
  for i in $(seq 1 "$N"); do engine_cli "$e" run -d $f --name "s$i" busybox sleep 1000 >/dev/null; done
  R[$e,seq]=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  busy=$(rss_kib $(engine_pids "$e"))
  R[$e,percontainer]=$(awk -v a="$base" -v b="$busy" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n / 1024 }')
  # an exec is short and noisy: a warm-up (Skiff compiles the container's seccomp profile at its first exec), then
  # the median of EXEC_RUNS (20 by default), not of RUNS
  engine_cli "$e" exec s1 true >/dev/null 2>&1 || true
  R[$e,exec]=$(repeat_median "${EXEC_RUNS:-20}" engine_cli "$e" exec s1 true)
  t0=$(now_ns)
  engine_cli "$e" rm -f $(seq -f "s%g" 1 "$N") >/dev/null
  R[$e,rm]=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

  t0=$(now_ns)
  seq 1 "$N" | xargs -P 8 -I{} sh -c "$(declare -f engine_cli); WORK=$WORK DOCKER_CLI=$DOCKER_CLI; engine_cli $e run -d $f --name p{} busybox sleep 1000 >/dev/null"
  R[$e,par]=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  engine_cli "$e" rm -f $(seq -f "p%g" 1 "$N") >/dev/null

  bytes=$((LOG_MIB * 1024 * 1024))
  gen="yes 01234567890123456789 | head -c $bytes"
  # timed to its exit: the container writing its output and the engine logging it, no reader attached (the
  # floor under the piped run below, which also logs)
  t0=$(now_ns)
  engine_cli "$e" run -d $f --log-opt max-size=4g --name logger busybox sh -c "$gen" >/dev/null 2>&1 \
    || engine_cli "$e" run -d $f --name logger busybox sh -c "$gen" >/dev/null
  engine_cli "$e" wait logger >/dev/null
  R[$e,logged]=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  # a median of LOG_RUNS reads (3 by default): one read alone mostly measures how warm the engine happens to be
  R[$e,logs]=$(repeat_median "${LOG_RUNS:-3}" engine_cli "$e" logs logger)
  got=$(engine_cli "$e" logs logger 2>/dev/null | wc -c)
  [ "$got" = "$bytes" ] || echo "bench: $e logs returned $got bytes, expected $bytes" >&2
  engine_cli "$e" rm -f logger >/dev/null
  t0=$(now_ns)
  got=$(engine_cli "$e" run --rm $f busybox sh -c "$gen" | wc -c)
  R[$e,pipe]=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  [ "$got" = "$bytes" ] || echo "bench: $e run|wc returned $got bytes, expected $bytes" >&2
  # "after a workload" is the engine idle again: every engine gets the same pause to hand memory back
  # (Go's scavenger for dockerd, the heap shrink and malloc trim for skiffd)
  sleep "${SETTLE_S:-35}"
  R[$e,after]=$(awk -v k="$(rss_kib $(engine_pids "$e"))" 'BEGIN { printf "%.1f", k / 1024 }')
  R[$e,idle]=$(awk -v k="$idle" 'BEGIN { printf "%.1f", k / 1024 }')
  engine_stop "$e"
done

echo
echo "Containers benchmark: median of $RUNS runs where repeated (logs: of ${LOG_RUNS:-3}); $N containers; logs of $LOG_MIB MiB of 21-byte lines."
report_header
row() { report "$1" "$2" "${R[skiff,$3]:--}" "${R[docker,$3]:--}" "${R[podman,$3]:--}"; }
row "run --rm busybox true" s start
row "$N x run -d sleep, sequential" s seq
row "$N x run -d sleep, 8 in parallel" s par
row "rm -f of $N" s rm
row "exec CTR true" s exec
row "run -d writing $LOG_MIB MiB, until it exits" s logged
row "logs CTR, $LOG_MIB MiB" s logs
row "run --rm ... piped to wc -c, $LOG_MIB MiB" s pipe
row "engine RSS idle (fresh)" MiB idle
row "engine RSS after the workload" MiB after
row "RSS added per running container" MiB percontainer
