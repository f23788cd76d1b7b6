#!/usr/bin/env bash
# Moving images, Skiff vs Docker vs Podman: pull and push of a ~400 MiB image (200 MiB incompressible in 3 layers,
# 200 MiB compressible) against Debian's docker-registry on loopback, and save/load of it; plus the floors on the
# same data (sha256sum, gzip -d, a curl GET of the largest blob). Prints MB/s medians (higher is better).
#   RUNS=3 ENGINES="skiff docker podman" bench/registry.sh
. "$(dirname "$0")/lib.sh"
have docker-registry || { echo "bench: docker-registry is not installed (bin/install-deps)" >&2; exit 1; }

REG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG="127.0.0.1:$REG_PORT"
REG_PID=""
registry_start() { # a fresh, empty registry, so every push really uploads
  registry_stop
  rm -rf "$WORK/registry"; mkdir -p "$WORK/registry"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
    "$WORK/registry/data" "$REG" > "$WORK/registry/config.yml"
  docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://$REG/v2/" >/dev/null && return 0; sleep 0.1; done
  echo "bench: docker-registry did not start" >&2; exit 1
}
registry_stop() { if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; REG_PID=""; fi; }
trap 'registry_stop; cleanup' EXIT

# The image, as a docker-archive: three 200/3 MiB random layers and one 200 MiB compressible layer.
python3 - "$WORK/image.tar" <<'PY'
import hashlib, io, json, os, sys, tarfile, random
out = sys.argv[1]
def layer(name, data):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644
        t.addfile(i, io.BytesIO(data))
    return b.getvalue()
mib = 1 << 20
third = 200 * mib // 3
layers = [layer("r%d.bin" % k, os.urandom(third)) for k in range(3)]
rng = random.Random(1)
words = [bytes(rng.choice(b"abcdefghij") for _ in range(rng.randint(3, 9))) for _ in range(500)]
text = bytearray()
while len(text) < 200 * mib:
    text += b" ".join(rng.choice(words) for _ in range(12)) + b"\n"
layers.append(layer("text.txt", bytes(text[:200 * mib])))
diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": []}).encode()
cid = hashlib.sha256(config).hexdigest()
with tarfile.open(out, "w") as t:
    def add(name, data):
        i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644
        t.addfile(i, io.BytesIO(data))
    names = []
    for d, l in zip(diff_ids, layers):
        n = d[7:] + "/layer.tar"; names.append(n); add(n, l)
    add(cid + ".json", config)
    add("manifest.json", json.dumps([{"Config": cid + ".json", "RepoTags": ["bench/big:latest"], "Layers": names}]).encode())
PY
SIZE=$(stat -c %s "$WORK/image.tar")
MB=$(awk -v s="$SIZE" 'BEGIN { printf "%.1f", s / 1e6 }')
mbps() { awk -v mb="$MB" -v t="$1" 'BEGIN { if (t > 0) printf "%.0f", mb / t; else print "-" }'; }

# tls flags for podman against the plain-http loopback registry
tls() { [ "$1" = podman ] && echo "--tls-verify=false" || true; }

# The engines run side by side and take turns, one run of each in every round, so a load that comes and goes on
# this shared machine falls on all of them alike and the ratios compare like with like.
declare -A R T
RUNNING=()
for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  engine_start "$e"
  RUNNING+=("$e")
done
for _ in $(seq 1 "$RUNS"); do
  for e in "${RUNNING[@]}"; do
    engine_cli "$e" rmi -f bench/big:latest "$REG/big:latest" >/dev/null 2>&1 || true
    [ "$e" = podman ] && engine_cli podman image prune -af >/dev/null 2>&1 || true
    T[$e,load]+=" $(time_s engine_cli "$e" load -i "$WORK/image.tar")"
    rm -f "$WORK/saved.tar"
    T[$e,save]+=" $(time_s engine_cli "$e" save -o "$WORK/saved.tar" bench/big:latest)"
    engine_cli "$e" tag bench/big:latest "$REG/big:latest" >/dev/null
    registry_start
    T[$e,push]+=" $(time_s engine_cli "$e" push $(tls "$e") "$REG/big:latest")"
    engine_cli "$e" rmi -f bench/big:latest "$REG/big:latest" >/dev/null 2>&1 || true
    [ "$e" = podman ] && engine_cli podman image prune -af >/dev/null 2>&1 || true
    T[$e,pull]+=" $(time_s engine_cli "$e" pull $(tls "$e") "$REG/big:latest")"
    engine_cli "$e" image inspect "$REG/big:latest" >/dev/null 2>&1 || echo "bench: $e pull left no image" >&2
  done
done
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
for e in "${RUNNING[@]}"; do
  for w in load save push pull; do
    # shellcheck disable=SC2086
    R[$e,$w]=$(mbps "$(median ${T[$e,$w]})")
  done
  engine_stop "$e"
done

# Floors on the same bytes: hashing the archive, gunzipping and fetching the largest blob the registry holds.
largest=$(find "$WORK/registry/data" -name data -type f -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
blob="sha256:$(basename "$(dirname "$largest")")"
lsize=$(stat -c %s "$largest")
floor_sha=$(mbps "$(repeat_median "$RUNS" sha256sum "$WORK/image.tar")")
floor_gz=$(repeat_median "$RUNS" sh -c "gzip -dc < '$largest' > /dev/null || cat '$largest' > /dev/null")
floor_curl=$(repeat_median "$RUNS" curl -fs -o /dev/null "http://$REG/v2/big/blobs/$blob")
lmb=$(awk -v s="$lsize" 'BEGIN { printf "%.1f", s / 1e6 }')

{
  echo "Registry benchmark: median of $RUNS runs; image $MB MB (200 MiB random in 3 layers + 200 MiB text); MB/s, higher is better."
  echo "Push goes to an empty docker-registry each run; pull follows each push from the same registry."
  echo "Engines take turns within each round. Load average at the end: $LOADAVG (2 CPUs)."
  report_header
  for w in pull push save load; do
    report "$w" "MB/s" "${R[skiff,$w]:--}" "${R[docker,$w]:--}" "${R[podman,$w]:--}"
  done
  echo
  echo "Floors: sha256sum of the archive $floor_sha MB/s; gzip -d of the largest blob ($lmb MB) $(awk -v mb="$lmb" -v t="$floor_gz" 'BEGIN { printf "%.0f", mb / t }') MB/s;"
  echo "curl GET of that blob from docker-registry $(awk -v mb="$lmb" -v t="$floor_curl" 'BEGIN { printf "%.0f", mb / t }') MB/s."
} | tee "$BENCH_DIR/results/$(date +%F)-registry.md"
