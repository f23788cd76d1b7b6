# Shared helpers for the benchmarks: start each engine on private roots, time commands, print medians.
# Sourced by bench/*.sh. Every engine gets its own temp root and socket; everything is stopped on exit.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/skiff-bench.XXXXXX)}"
ENGINES="${ENGINES:-skiff docker podman}"
RUNS="${RUNS:-10}"
PIDS=()
DOCKER_CLI=$(command -v docker)            # the docker 28 client, used for Skiff and Docker alike

cleanup() {
  for e in $ENGINES; do engine_stop "$e" || true; done
  rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# engine_cli ENGINE ARGS... : the client command line for an engine.
engine_cli() {
  local e=$1; shift
  case $e in
    skiff)  DOCKER_HOST="unix://$WORK/skiff/skiff.sock" "$DOCKER_CLI" "$@" ;;
    docker) DOCKER_HOST="unix://$WORK/docker/docker.sock" "$DOCKER_CLI" "$@" ;;
    podman) podman --runtime runc --root "$WORK/podman/root" --runroot "$WORK/podman/run" \
              --storage-driver overlay --cgroup-manager cgroupfs --events-backend file "$@" ;;
  esac
}

# run_flags ENGINE : extra flags `run` needs on this machine (Podman's rlimits), and no network, so that the
# container workloads compare engines and not their network setup (bench/network.sh measures that).
run_flags() {
  echo "$(run_flags_base "$1") --network none"
}

# run_flags_base ENGINE : only the flags an engine needs to run a container here at all.
run_flags_base() {
  case $1 in
    podman) echo "--ulimit nofile=1024:1024 --ulimit nproc=1024:1024" ;;
    *) echo "" ;;
  esac
}

engine_available() {
  case $1 in
    skiff) return 0 ;;
    docker) have dockerd ;;
    podman) have podman ;;
  esac
}

engine_start() {
  local e=$1
  mkdir -p "$WORK/$e"
  case $e in
    skiff)
      # as bin/quickstart installs it: with the daemon's AOT cache (bin/aot-train, once per build)
      "$REPO/bin/build"; "$REPO/bin/aot-train" --if-missing || true; echo "{}" > "$WORK/skiff/daemon.json"
      "$REPO/bin/skiffd" -H "unix://$WORK/skiff/skiff.sock" --data-root "$WORK/skiff/data" \
        --exec-root "$WORK/skiff/run" --config-file "$WORK/skiff/daemon.json" ${SKIFFD_FLAGS:-} >"$WORK/skiff/log" 2>&1 &
      echo $! > "$WORK/skiff/pid" ;;
    docker)
      # No bridge and no iptables unless DOCKERD_NETWORK=bridge (bench/network.sh): then a docker0 of its own
      # subnet, and no change to the host's iptables or forwarding policy.
      local net="--iptables=false --bridge=none"
      [ "${DOCKERD_NETWORK:-}" = bridge ] && net="--bip 10.254.92.1/24 --iptables=false --ip-forward=false --userland-proxy=false"
      # DOCKERD_NET_ARGS: a benchmark's own network flags (bench/ports.sh: its bridge, with iptables for -p)
      [ -n "${DOCKERD_NET_ARGS:-}" ] && net="$DOCKERD_NET_ARGS"
      dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" -H "unix://$WORK/docker/docker.sock" \
        --pidfile "$WORK/docker/dockerd.pid" $net --containerd-namespace "skiffbench$$" \
        --log-level warn >"$WORK/docker/log" 2>&1 &
      echo $! > "$WORK/docker/pid" ;;
    podman) mkdir -p "$WORK/podman/root" "$WORK/podman/run"; return 0 ;;
  esac
  for _ in $(seq 1 300); do
    engine_cli "$e" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: $e did not start; log:" >&2; tail -20 "$WORK/$e/log" >&2; return 1
}

engine_stop() {
  local e=$1
  case $e in
    skiff|docker)
      [ -f "$WORK/$e/pid" ] || return 0
      engine_cli "$e" rm -f $(engine_cli "$e" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
      kill "$(cat "$WORK/$e/pid")" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$(cat "$WORK/$e/pid")" 2>/dev/null || break; sleep 0.1; done
      rm -f "$WORK/$e/pid" ;;
    podman)
      engine_cli podman rm -af >/dev/null 2>&1 || true
      engine_cli podman system reset -f >/dev/null 2>&1 || true ;;
  esac
  grep -o " $WORK/$e[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
}

# import_busybox ENGINE : the same local busybox image in every engine.
import_busybox() {
  "$REPO/bin/busybox-rootfs" > "$WORK/busybox.tar"
  engine_cli "$1" import "$WORK/busybox.tar" busybox:latest >/dev/null
}

# now_ns : nanoseconds since the epoch.
now_ns() { date +%s%N; }

# time_s CMD... : seconds one command took (3 decimals).
time_s() {
  local t0 t1
  t0=$(now_ns); "$@" >/dev/null 2>&1; t1=$(now_ns)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

# median N1 N2 ... : the median of numbers.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# repeat_median N CMD... : median seconds of N runs of a command.
repeat_median() {
  local n=$1; shift
  local times=()
  for _ in $(seq 1 "$n"); do times+=("$(time_s "$@")"); done
  median "${times[@]}"
}

# ratio A B : A / B with 2 decimals ("-" when B is missing).
ratio() { if [ -z "${2:-}" ] || [ "$2" = "-" ] || awk -v b="$2" 'BEGIN { exit !(b == 0) }'; then echo "-"; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; fi; }

# report WORKLOAD UNIT SKIFF DOCKER PODMAN : one row of the results table.
report() {
  printf '| %-44s | %10s | %10s | %10s | %8s | %8s |\n' "$1 ($2)" "$3" "${4:--}" "${5:--}" "$(ratio "$3" "${4:-}")" "$(ratio "$3" "${5:-}")"
}

report_header() {
  printf '| %-44s | %10s | %10s | %10s | %8s | %8s |\n' "workload (unit)" "skiff" "docker" "podman" "s/docker" "s/podman"
  printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "------------" "------------" "------------" "----------" "----------"
}
