#!/usr/bin/env bash
# What shipping a container's log to a syslog server costs, Skiff vs Docker in one run: a container writes N
# lines (`seq 1 N`) with `--log-driver syslog` to a TCP syslog server on loopback (a line counter). Timed: until the
# container exits (Docker's driver, in its default blocking mode, holds the container's writes while it sends), and
# until the server has every line. Podman has no syslog driver and is left out.
#   RUNS=3 LINES=200000 ENGINES="skiff docker" bench/logdrivers.sh
. "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}"
LINES="${LINES:-200000}"
ENGINES="${ENGINES/podman/}"

# A syslog server that counts the lines it receives, writing the count to a file every 20 ms.
counter() {
  python3 - "$1" "$2" <<'PY'
import socket, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[2]
n = 0
def serve(c):
    global n
    while True:
        d = c.recv(1 << 16)
        if not d:
            return
        n += d.count(b"\n")
def report():
    while True:
        with open(out + ".tmp", "w") as f:
            f.write(str(n))
        import os; os.replace(out + ".tmp", out)
        time.sleep(0.02)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(8)
threading.Thread(target=report, daemon=True).start()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
}

declare -A R
COUNTER_PIDS=()
stop_counters() { for p in "${COUNTER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup; }
trap stop_counters EXIT
port=$((20000 + RANDOM % 20000))
for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  engine_start "$e"
  import_busybox "$e"
  f=$(run_flags "$e")
  exits=(); delivered=()
  for i in $(seq 1 "$RUNS"); do
    port=$((port + 1))
    count="$WORK/count-$e-$i"
    counter "$port" "$count" & COUNTER_PIDS+=($!)
    for _ in $(seq 1 50); do [ -f "$count" ] && break; sleep 0.05; done
    t0=$(now_ns)
    engine_cli "$e" run -d $f --name "ship$i" --log-driver syslog --log-opt "syslog-address=tcp://127.0.0.1:$port" \
      busybox seq 1 "$LINES" >/dev/null
    engine_cli "$e" wait "ship$i" >/dev/null
    t1=$(now_ns)
    for _ in $(seq 1 6000); do [ "$(cat "$count")" -ge "$LINES" ] && break; sleep 0.01; done
    t2=$(now_ns)
    got=$(cat "$count")
    [ "$got" -ge "$LINES" ] || echo "bench: $e delivered $got of $LINES lines" >&2
    exits+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    delivered+=("$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    engine_cli "$e" rm -f "ship$i" >/dev/null
  done
  R[$e,exit]=$(median "${exits[@]}")
  R[$e,delivered]=$(median "${delivered[@]}")
  engine_stop "$e"
done
echo "Log drivers benchmark: median of $RUNS runs; $LINES lines to a TCP syslog server on loopback."
report_header
row() { report "$1" "$2" "${R[skiff,$3]:--}" "${R[docker,$3]:--}" "-"; }
row "syslog: until the container exits" s exit
row "syslog: until every line arrived" s delivered
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
