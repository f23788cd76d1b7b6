#!/usr/bin/env bash
# Writes the build benchmark's context into DIR: a Dockerfile FROM busybox with 5 RUN steps and a COPY of
# FILES files of FILE_KIB KiB of random bytes (500 x 102 KiB, ~50 MiB). Used by bench/build.sh and bench/ab.sh.
#   bench/build-context.sh DIR
set -euo pipefail
ctx="${1:?usage: bench/build-context.sh DIR}"
mkdir -p "$ctx/data"
for i in $(seq 1 "${FILES:-500}"); do head -c $(("${FILE_KIB:-102}" * 1024)) /dev/urandom > "$ctx/data/f$i"; done
cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
RUN echo one > /one
RUN echo two > /two
COPY data /data
RUN ls /data | wc -l > /count
RUN du -s /data > /du
RUN cat /one /two /count /du > /summary
DOCKERFILE
