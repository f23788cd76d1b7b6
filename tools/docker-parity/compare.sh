#!/usr/bin/env bash
# Runs the same command lines through the real docker CLI and through skiff, both against
# server.py (a canned Docker Engine API on a unix socket), and prints every difference in
# stdout (creation times normalized) and exit code. A developer tool, not part of the build.
#
# Usage: tools/docker-parity/compare.sh [cases-file]      (default: cases.txt beside this script)
#        SKIFF="bin/skiff" overrides the skiff launcher.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
skiff="${SKIFF:-$repo/bin/skiff}"
cases="${1:-$here/cases.txt}"
work="$(mktemp -d)"
sock="$work/d.sock"
python3 "$here/server.py" "$sock" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
export DOCKER_HOST="unix://$sock" TZ=UTC
norm() { sed -E 's/[0-9]+ (seconds|minutes) ago/N ago/g; s/About a minute ago/N ago/g; s/ +/ /g' "$1"; }
n=0; bad=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  n=$((n+1))
  eval "docker $line" > "$work/o_d" 2> "$work/e_d" < /dev/null; rd=$?
  eval "\"$skiff\" -H \"unix://$sock\" $line" > "$work/o_s" 2> "$work/e_s" < /dev/null; rs=$?
  if ! diff <(norm "$work/o_d") <(norm "$work/o_s") > /dev/null || [ "$rd" != "$rs" ]; then
    bad=$((bad+1))
    echo "=== $line (exit docker=$rd skiff=$rs)"
    diff <(norm "$work/o_d") <(norm "$work/o_s") | head -20
    echo "--- docker stderr:"; head -3 "$work/e_d"; echo "--- skiff stderr:"; head -3 "$work/e_s"
  fi
done < "$cases"
echo "$n cases, $bad differ"
