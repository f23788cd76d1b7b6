#!/usr/bin/env bash
# What a bridge network costs a container start, Skiff vs Docker vs Podman in one run: `run --rm busybox true`
# on the default bridge network against the same with --network none, interleaved run by run so that machine
# noise falls on both alike. Prints medians, the bridge's added milliseconds, ratios, and the load average.
#   RUNS=20 ENGINES="skiff docker podman" bench/network.sh
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-20}"
# Each engine's default bridge gets a subnet of its own, away from the host's and any test daemon's.
export SKIFFD_FLAGS="--bridge skbench$$ --bip 10.254.91.1/24 --log-level debug"
export DOCKERD_NETWORK=bridge

declare -A R
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  engine_start "$e"
  import_busybox "$e"
  f=$(run_flags_base "$e")
  bridge_flag=""
  [ "$e" = podman ] && bridge_flag="--network bridge"
  if ! engine_cli "$e" run --rm $f $bridge_flag busybox true >/dev/null 2>&1; then
    echo "bench: $e cannot run on its bridge network here, skipped" >&2; engine_stop "$e"; continue
  fi
  engine_cli "$e" run --rm $f --network none busybox true >/dev/null 2>&1
  none=(); bridge=()
  for _ in $(seq 1 "$RUNS"); do
    none+=("$(time_s engine_cli "$e" run --rm $f --network none busybox true)")
    bridge+=("$(time_s engine_cli "$e" run --rm $f $bridge_flag busybox true)")
  done
  R[$e,none]=$(median "${none[@]}")
  R[$e,bridge]=$(median "${bridge[@]}")
  R[$e,delta]=$(awk -v a="${R[$e,bridge]}" -v b="${R[$e,none]}" 'BEGIN { printf "%.1f", (a - b) * 1000 }')
  if [ "$e" = skiff ]; then
    # the daemon's own account of the network step of each start (debug log), median over the bridge runs
    mapfile -t steps < <(grep -a 'Starter: started' "$WORK/skiff/log" | grep -o 'network [0-9]* ms' | awk '{print $2}' | awk '$1 > 0')
    [ ${#steps[@]} -gt 0 ] && R[skiff,step]=$(median "${steps[@]}")
  fi
  engine_stop "$e"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Network benchmark: median of $RUNS interleaved runs; load average before: $load_before, after: $load_after."
report_header
row() { report "$1" "$2" "${R[skiff,$3]:--}" "${R[docker,$3]:--}" "${R[podman,$3]:--}"; }
row "run --rm busybox true, --network none" s none
row "run --rm busybox true, default bridge" s bridge
row "bridge minus none" ms delta
[ -n "${R[skiff,step]:-}" ] && echo "Skiff's network step inside the daemon (netns + CNI ADD), median: ${R[skiff,step]} ms"
