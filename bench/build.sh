#!/usr/bin/env bash
# Build benchmark: a Dockerfile FROM the local busybox image with 5 RUN steps and a COPY of 50 MiB in 500 files.
# Cold build (--no-cache), fully cached rebuild, and rebuild after one copied file changed, on Skiff (classic
# builder API, docker 28 CLI), Docker's classic builder (DOCKER_BUILDKIT=0), Docker's BuildKit (dockerd 20.10's
# built-in BuildKit through the 20.10 client, which needs no buildx) and podman build. Every RUN step runs
# with --network none (the bench's dockerd has no bridge), so no engine pays for network setup.
#   sudo bench/build.sh            # RUNS=3 ENGINES="skiff docker podman"
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}"
FILES="${FILES:-500}"
FILE_KIB="${FILE_KIB:-102}"
DOCKER20="${DOCKER20:-/usr/bin/docker}"   # the 20.10 client: BuildKit without the buildx plugin

ctx="$WORK/ctx"
FILES="$FILES" FILE_KIB="$FILE_KIB" "$BENCH_DIR/build-context.sh" "$ctx"

declare -A R
# build_cmd FLAVOR ARGS... : one build with the given builder flavour.
build_cmd() {
  local f=$1; shift
  case $f in
    skiff)    DOCKER_BUILDKIT=0 engine_cli skiff build --network none "$@" ;;
    legacy)   DOCKER_BUILDKIT=0 engine_cli docker build --network none "$@" ;;
    buildkit) DOCKER_BUILDKIT=1 DOCKER_HOST="unix://$WORK/docker/docker.sock" "$DOCKER20" build --network none "$@" ;;
    podman)   engine_cli podman build --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@" ;;
  esac
}

measure() {
  local f=$1
  build_cmd "$f" -q -t benchbuild "$ctx" >/dev/null || { echo "bench: $f build failed" >&2; return 1; }
  R[$f,cold]=$(repeat_median "$RUNS" build_cmd "$f" -q --no-cache -t benchbuild "$ctx")
  R[$f,cached]=$(repeat_median "$RUNS" build_cmd "$f" -q -t benchbuild "$ctx")
  local times=()
  for n in $(seq 1 "$RUNS"); do
    echo "change $n $f" >> "$ctx/data/f7"
    times+=("$(time_s build_cmd "$f" -q -t benchbuild "$ctx")")
  done
  R[$f,onefile]=$(median "${times[@]}")
}

for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  engine_start "$e"
  import_busybox "$e"
  # a builder that fails is reported (stderr) and left out of the table, not the end of the run
  case $e in
    skiff) measure skiff || true ;;
    docker) measure legacy || true; if [ -x "$DOCKER20" ]; then measure buildkit || true; fi ;;
    podman) measure podman || true ;;
  esac
  engine_stop "$e"
done

echo "Build benchmark: median of $RUNS runs; $FILES files of $FILE_KIB KiB copied; 5 RUN steps."
printf '| %-30s | %8s | %8s | %8s | %8s | %9s | %9s |\n' "build (s)" skiff legacy buildkit podman "s/legacy" "s/buildkit"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "--------------------------------" "----------" "----------" "----------" "----------" "-----------" "-----------"
for w in cold cached onefile; do
  case $w in cold) label="cold (--no-cache)";; cached) label="fully cached rebuild";; onefile) label="one copied file changed";; esac
  s=${R[skiff,$w]:-}; l=${R[legacy,$w]:-}; b=${R[buildkit,$w]:-}; p=${R[podman,$w]:-}
  printf '| %-30s | %8s | %8s | %8s | %8s | %9s | %9s |\n' "$label" "${s:--}" "${l:--}" "${b:--}" "${p:--}" \
    "$(ratio "${s:-0}" "$l")" "$(ratio "${s:-0}" "$b")"
done
