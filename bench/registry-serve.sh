#!/usr/bin/env bash
# Serving a blob: a curl GET of a ~200 MiB incompressible blob from the Skiff registry (`skiff registry
# serve`, sendfile) and from Debian's docker-registry (the reference distribution registry), both on
# loopback with filesystem storage on the same disk. Prints the median MB/s of RUNS GETs each.
#   RUNS=5 SIZE_MIB=200 bench/registry-serve.sh
. "$(dirname "$0")/lib.sh"
SIZE_MIB="${SIZE_MIB:-200}"
REG_PIDS=()
stop_registries() {
  for p in "${REG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK" 2>/dev/null || true
}
trap stop_registries EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/v2/" >/dev/null && return 0; sleep 0.1; done; echo "bench: registry on $1 did not start" >&2; return 1; }

# push_blob PORT FILE DIGEST : POST a session, PUT the bytes with ?digest= (what every registry accepts).
push_blob() {
  local loc
  loc=$(curl -sf -X POST -D - -o /dev/null "http://127.0.0.1:$1/v2/bench/blob/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')
  case $loc in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  case $loc in *\?*) loc="$loc&digest=$3" ;; *) loc="$loc?digest=$3" ;; esac
  curl -sf -X PUT -H "Content-Type: application/octet-stream" --data-binary "@$2" "$loc" -o /dev/null
}

# get_mbps PORT DIGEST : MB/s of one GET, body discarded.
get_mbps() {
  curl -sf -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$1/v2/bench/blob/blobs/$2" | awk '{ printf "%.0f", $1 / 1e6 }'
}

mkdir -p "$WORK"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/blob"
digest="sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)"

"$REPO/bin/build"
p_skiff=$(free_port)
"$REPO/bin/skiff" registry serve --root "$WORK/skiff" --addr "127.0.0.1:$p_skiff" >"$WORK/skiff.log" 2>&1 &
REG_PIDS+=($!)
wait_up "$p_skiff"
push_blob "$p_skiff" "$WORK/blob" "$digest"

p_dist="-"
if have docker-registry; then
  p_dist=$(free_port)
  printf 'version: 0.1\nlog: {level: error}\nstorage:\n  filesystem: {rootdirectory: %s}\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$WORK/dist" "$p_dist" > "$WORK/dist.yml"
  docker-registry serve "$WORK/dist.yml" >"$WORK/dist.log" 2>&1 &
  REG_PIDS+=($!)
  wait_up "$p_dist"
  push_blob "$p_dist" "$WORK/blob" "$digest"
fi

# Warm-up GETs put the blob in the page cache for both; then the GETs alternate between the registries,
# so a change in the (shared) machine's load falls on both alike.
get_mbps "$p_skiff" "$digest" >/dev/null
[ "$p_dist" != "-" ] && get_mbps "$p_dist" "$digest" >/dev/null
s_runs=(); d_runs=()
for _ in $(seq 1 "$RUNS"); do
  s_runs+=("$(get_mbps "$p_skiff" "$digest")")
  [ "$p_dist" != "-" ] && d_runs+=("$(get_mbps "$p_dist" "$digest")")
done
skiff_mbps=$(median "${s_runs[@]}")
dist_mbps="-"
[ "$p_dist" != "-" ] && dist_mbps=$(median "${d_runs[@]}")
echo "runs (MB/s): skiff ${s_runs[*]}; docker-registry ${d_runs[*]:-}" >&2

printf '| %-48s | %12s | %16s | %8s |\n' "workload (MB/s, higher is better)" "skiff" "docker-registry" "s/dist"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..50})" "--------------" "------------------" "----------"
printf '| %-48s | %12s | %16s | %8s |\n' "curl GET of a ${SIZE_MIB} MiB blob (median of $RUNS)" "$skiff_mbps" "$dist_mbps" "$(ratio "$skiff_mbps" "$dist_mbps")"
