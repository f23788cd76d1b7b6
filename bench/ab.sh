#!/usr/bin/env bash
# Two builds of Skiff alternated on one machine, to tell a change from the machine's drift: this checkout ("new")
# against another checkout ("old", e.g. a `git worktree add /tmp/old REV`), each round on a fresh data root at the
# same place, so neither build inherits the other's files. Each round: 6 `run --rm`, 50 sequential `run -d`, 5 execs,
# `rm -f` of the 50 (timed, with skiffd's CPU), 50 `run -d` 8 in parallel; with BUILDS=1 also 1 + 5 cold builds,
# 5 cached rebuilds and 5 rebuilds after one copied file changed, of bench/build.sh's context
# (bench/build-context.sh); CONTAINERS=0 leaves out the container workloads. Prints one line per round; compare
# the columns, not one round.
#   sudo bench/ab.sh /tmp/old [ROUNDS]            # ROUNDS=3; both checkouts built (bin/build, bin/aot-train) first
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NEW="$(cd "$BENCH_DIR/.." && pwd)"
OLD="$(cd "${1:?usage: bench/ab.sh OLD_CHECKOUT [ROUNDS]}" && pwd)"
ROUNDS="${2:-3}"
WORK="$(mktemp -d /tmp/skiff-ab.XXXXXX)"
SOCK="unix://$WORK/s.sock"
PID=""

stop() {
  if [ -n "$PID" ] && kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  fi
  PID=""
  grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
}
trap 'stop; rm -rf "$WORK"' EXIT

for repo in "$NEW" "$OLD"; do "$repo/bin/build" >/dev/null; "$repo/bin/aot-train" --if-missing >/dev/null || true; done
"$NEW/bin/busybox-rootfs" > "$WORK/busybox.tar"
if [ "${BUILDS:-0}" = 1 ]; then "$BENCH_DIR/build-context.sh" "$WORK/ctx"; fi

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# five_builds [FLAGS...] : the milliseconds of five builds of the context, one after another (CHANGE=1: each
# after one copied file changed)
five_builds() {
  local t times=""
  for n in 1 2 3 4 5; do
    if [ "${CHANGE:-0}" = 1 ]; then echo "change $n" >> "$WORK/ctx/data/f7"; fi
    t=$(date +%s%N)
    docker build -q "$@" --network none -t ab "$WORK/ctx" >/dev/null 2>&1
    times="$times $(ms_since "$t")"
  done
  echo "${times# }"
}

round() {
  local name=$1 repo=$2
  stop; rm -rf "$WORK/engine"; mkdir -p "$WORK/engine/data" "$WORK/engine/exec"
  "$repo/bin/skiffd" -H "$SOCK" --data-root "$WORK/engine/data" --exec-root "$WORK/engine/exec" \
    --pidfile "$WORK/engine/pid" >"$WORK/$name.log" 2>&1 &
  PID=$!
  export DOCKER_HOST="$SOCK"
  for _ in $(seq 1 150); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
  docker import "$WORK/busybox.tar" busybox >/dev/null
  out=""
  if [ "${CONTAINERS:-1}" != 0 ]; then containers; fi
  if [ "${BUILDS:-0}" = 1 ]; then
    export DOCKER_BUILDKIT=0
    docker build -q --network none -t ab "$WORK/ctx" >/dev/null 2>&1
    out="$out | cold $(five_builds --no-cache) | cached $(five_builds) | one file $(CHANGE=1 five_builds)"
  fi
  echo "$name:${out# |}"
}

# containers : the container workloads of a round, appended to $out
containers() {
  local t c0
  for _ in 1 2 3 4 5 6; do docker run --rm --network none busybox true; done
  t=$(date +%s%N)
  for i in $(seq 1 50); do docker run -d --network none --name "s$i" busybox sleep 1000 >/dev/null; done
  out="$out | seq $(ms_since "$t") ms"
  for _ in 1 2 3 4 5; do docker exec s1 true; done
  c0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
  t=$(date +%s%N); docker rm -f $(seq -f "s%g" 1 50) >/dev/null
  out="$out | rm -f $(ms_since "$t") ms, cpu $(( ($(awk '{print $14 + $15}' "/proc/$PID/stat") - c0) * 10 )) ms"
  t=$(date +%s%N)
  seq 1 50 | xargs -P 8 -I{} \
    sh -c "DOCKER_HOST=$SOCK docker run -d --network none --name p{} busybox sleep 1000 >/dev/null"
  out="$out | par $(ms_since "$t") ms"
  docker rm -f $(seq -f "p%g" 1 50) >/dev/null
}

for _ in $(seq 1 "$ROUNDS"); do round new "$NEW"; round old "$OLD"; done
