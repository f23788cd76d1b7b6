#!/usr/bin/env bash
# TCP throughput host -> container: through a published port (-p HOST:80, to 127.0.0.1 and to the host's own
# address) versus straight to the container's address on its bridge, for Skiff, Docker and Podman side by side.
# The container is busybox httpd serving a SIZE_MIB file; the client is curl writing to /dev/null.
# Prints medians (MB/s, higher is better) and the published/direct ratio per engine (target: >= 0.80).
#   RUNS=5 SIZE_MIB=256 ENGINES="skiff docker podman" bench/ports.sh
. "$(dirname "$0")/lib.sh"
SIZE_MIB="${SIZE_MIB:-256}"
RUNS="${RUNS:-5}"

# A 10.x.y.0/24 no host route overlaps (other engines and test daemons run on this machine too).
free_subnet() {
  local x y
  for _ in $(seq 1 200); do
    x=$((RANDOM % 40 + 200)); y=$((RANDOM % 250 + 1))
    ip -4 route | grep -q "^10\.$x\." || { echo "10.$x.$y"; return 0; }
  done
  echo "bench: no free 10.x subnet" >&2; return 1
}
SKIFF_NET=$(free_subnet); DOCKER_NET=$(free_subnet)
SKIFF_BRIDGE="skbp$$"; DOCKER_BRIDGE="skbd$$"
export SKIFFD_FLAGS="--bridge $SKIFF_BRIDGE --bip $SKIFF_NET.1/24"
# Docker on its own bridge with its iptables rules, but without touching the FORWARD policy (--ip-forward=false:
# forwarding is already on here, and a DROP policy would cut other engines' containers off).
export DOCKERD_NET_ARGS="--bridge $DOCKER_BRIDGE --iptables=true --ip-forward=false"
HOST_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}')
PODMAN_BRIDGE_EXISTED=$(ip link show cni-podman0 >/dev/null 2>&1 && echo yes || echo no)
CNI_FIREWALL_EXISTED=$(iptables -w 5 -S CNI-FORWARD >/dev/null 2>&1 && echo yes || echo no)

# Rules naming a bridge or subnet this run made: deleted at the end, whoever left them.
drop_rules() {
  local t rule
  for t in filter nat; do
    { iptables -w 5 -t "$t" -S | grep -F -e "$1" | grep '^-A ' || true; } | while read -r rule; do
      eval "iptables -w 5 -t $t -D ${rule#-A }" 2>/dev/null || true
    done
  done
}
# dockerd's own chains (DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-n) and the jumps to them, when no other
# dockerd runs: the one started here made them.
drop_docker_chains() {
  pgrep -x dockerd >/dev/null && return 0
  local t c
  for t in filter nat; do
    drop_rules "-j DOCKER"
    for c in $(iptables -w 5 -t "$t" -S | awk '$1 == "-N" && $2 ~ /^DOCKER/ { print $2 }'); do
      iptables -w 5 -t "$t" -F "$c" 2>/dev/null || true
    done
    for c in $(iptables -w 5 -t "$t" -S | awk '$1 == "-N" && $2 ~ /^DOCKER/ { print $2 }'); do
      iptables -w 5 -t "$t" -X "$c" 2>/dev/null || true
    done
  done
}
bench_cleanup() {
  set +e
  cleanup
  for b in "$SKIFF_BRIDGE" "$DOCKER_BRIDGE"; do ip link del "$b" 2>/dev/null; drop_rules "$b"; done
  drop_rules "$SKIFF_NET."; drop_rules "$DOCKER_NET."
  [[ " $ENGINES " == *" docker "* ]] && drop_docker_chains
  [ "$PODMAN_BRIDGE_EXISTED" = yes ] || ip link del cni-podman0 2>/dev/null
  if [ "$CNI_FIREWALL_EXISTED" = no ] && iptables -w 5 -S CNI-FORWARD >/dev/null 2>&1; then
    # podman's CNI firewall plugin made these for its containers, which are gone
    drop_rules "-j CNI-FORWARD"
    iptables -w 5 -F CNI-FORWARD; iptables -w 5 -F CNI-ADMIN; iptables -w 5 -X CNI-FORWARD; iptables -w 5 -X CNI-ADMIN
  fi
  return 0
}
trap bench_cleanup EXIT

net_flags() { case $1 in podman) echo "--ulimit nofile=1024:1024 --ulimit nproc=1024:1024" ;; *) echo "" ;; esac; }

# speed URL : MB/s of one GET of the big file (curl's average download speed).
speed() { curl -s -o /dev/null --max-time 120 -w '%{speed_download}' "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }

declare -A R
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for e in $ENGINES; do
  engine_available "$e" || { echo "bench: $e not installed, skipped" >&2; continue; }
  if [ "$e" = docker ]; then
    ip link add "$DOCKER_BRIDGE" type bridge && ip addr add "$DOCKER_NET.1/24" dev "$DOCKER_BRIDGE" && ip link set "$DOCKER_BRIDGE" up
  fi
  engine_start "$e"
  import_busybox "$e"
  port=$((RANDOM % 2000 + 24000))
  # shellcheck disable=SC2046
  engine_cli "$e" run -d $(net_flags "$e") --name web -p "$port:80" busybox sh -c \
    "mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=$SIZE_MIB 2>/dev/null && exec httpd -f -p 80 -h /www" >/dev/null
  ip=$(engine_cli "$e" inspect -f '{{.NetworkSettings.IPAddress}}' web)
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://$ip/big" --max-time 60 && break; sleep 0.2; done
  pub=(); own=(); direct=()
  for _ in $(seq 1 "$RUNS"); do   # interleaved, so a noisy moment hits every path alike
    pub+=("$(speed "http://127.0.0.1:$port/big")")
    [ -n "$HOST_IP" ] && own+=("$(speed "http://$HOST_IP:$port/big")")
    direct+=("$(speed "http://$ip/big")")
  done
  R[$e,pub]=$(median "${pub[@]}")
  R[$e,own]=$([ ${#own[@]} -gt 0 ] && median "${own[@]}" || echo "-")
  R[$e,direct]=$(median "${direct[@]}")
  engine_cli "$e" rm -f web >/dev/null
  engine_stop "$e"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Published-port throughput: median of $RUNS GETs of a $SIZE_MIB MiB file (MB/s, higher is better);"
echo "load average before: $load_before, after: $load_after ($(nproc) CPUs)."
printf '| %-8s | %14s | %18s | %12s | %14s | %14s |\n' engine "127.0.0.1:port" "host address:port" "direct" "loopback/direct" "address/direct"
printf '|%s|%s|%s|%s|%s|%s|\n' ---------- ---------------- -------------------- -------------- ---------------- ----------------
for e in $ENGINES; do
  [ -n "${R[$e,direct]:-}" ] || continue
  printf '| %-8s | %14s | %18s | %12s | %14s | %14s |\n' "$e" "${R[$e,pub]}" "${R[$e,own]}" "${R[$e,direct]}" \
    "$(ratio "${R[$e,pub]}" "${R[$e,direct]}")" "$(ratio "${R[$e,own]}" "${R[$e,direct]}")"
done
