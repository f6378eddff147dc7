#!/bin/sh
# end-to-end.sh: the latency of sealing one 5 MB photo for Bob and opening it as
# Bob, through a local key server on 127.0.0.1, and the key server's share of it.
#
#   bench/end-to-end.sh [BUILD-DIR]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
ninja -C "$build" src/keyserver/photoseal-keyserver bench/end-to-end >/dev/null

work=$(mktemp -d)
"$build/src/keyserver/photoseal-keyserver" --listen 127.0.0.1:0 --data-dir "$work/data" \
  > "$work/out" 2> "$work/log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.05; done
origin=$(sed -n 's|.*listening on \(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$work/out")

export PHOTOSEAL_PASSWORD="correct horse battery"
for who in alice bob; do
  "$build/src/keyserver/photoseal-keyserver" --data-dir "$work/data" user add "$who@example.org" >/dev/null
done

echo "| measure | value |"
echo "|---|---|"
"$build/bench/end-to-end" "$origin"
echo
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); command: bench/end-to-end.sh"
