#!/bin/sh
# Builds target/native/skiff-exec (src/main/c/skiff-exec.c) when its source is newer; Maven's compile phase runs it.
# Static: the daemon runs it from a sealed in-memory copy, and no library path or LD_* variable can reach it.
# Needs gcc and libseccomp-dev (bin/install-deps installs them).
set -eu
src="$1/src/main/c/skiff-exec.c"
out="$2/native/skiff-exec"
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then exit 0; fi
if [ ! -f /usr/include/seccomp.h ]; then
  echo "skiff-exec: libseccomp's headers are missing: run bin/install-deps (or apt-get install libseccomp-dev gcc)" >&2
  exit 1
fi
mkdir -p "$2/native"
cc -O2 -Wall -Wextra -Werror -static -o "$out.tmp" "$src" -lseccomp
mv "$out.tmp" "$out"
