#!/bin/sh
# app.sh: the desktop app's time from launch to first frame, and from
# dropping 20 photos of 5 MB to a sealed file through a local key server,
# with the longest main-loop stall meanwhile, and the time and peak memory
# of opening a 1 GiB item as the viewer does. Runs in a private X server
# (Xvfb) with its own D-Bus session and keyring.
#
#   bench/app.sh [BUILD-DIR]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
ninja -C "$build" src/keyserver/photoseal-keyserver src/cli/psf bench/app-bench data/gschemas.compiled >/dev/null

work=$(mktemp -d)
"$build/src/keyserver/photoseal-keyserver" --listen 127.0.0.1:0 --data-dir "$work/data" \
  > "$work/out" 2> "$work/log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.05; done
origin=$(sed -n 's|.*listening on \(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$work/out")

password="correct horse battery"
for who in alice bob; do
  PHOTOSEAL_PASSWORD=$password "$build/src/keyserver/photoseal-keyserver" --data-dir "$work/data" \
    user add "$who@example.org" >/dev/null
done

# 20 camera-sized JPEGs of about 5 MB: noise compresses as badly as skin.
mkdir "$work/photos"
convert -size 2750x2063 xc:gray +noise Random -quality 96 "$work/photos/01.jpg"
for i in $(seq 2 20); do cp "$work/photos/01.jpg" "$work/photos/$(printf %02d "$i").jpg"; done

export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory
# Xvfb has no GPU: GTK's GL renderer would run on llvmpipe, software GL that
# takes the CPU the app itself needs. Cairo is the fairer stand-in for a
# desktop's GPU; set GSK_RENDERER to measure another.
export GSK_RENDERER=${GSK_RENDERER:-cairo}
run() { "$top/tests/app/run-app-tests.sh" "$@" 2>/dev/null; }

echo "| measure | value |"
echo "|---|---|"
frames=""
for _ in 1 2 3 4 5; do
  # The clock starts just before the program is executed, inside the X server's session.
  frames="$frames $(run sh -c 'PHOTOSEAL_BENCH_T0=$(date +%s%N) exec "$0" first-frame' \
                      "$build/bench/app-bench" | tail -1)"
done
echo "| launch → first frame, median of 5 (ms) | $(echo $frames | tr ' ' '\n' | sort -n | sed -n 3p) |"
# A 1 GiB "video" sealed for Bob with psf, then opened as Bob the way the
# viewer does: items over 64 MiB go to an unlinked file in the runtime
# folder, not to memory. A desktop's runtime folder (/run/user/UID) is
# tmpfs, and the private one run-app-tests.sh makes is on /tmp's file
# system, so the open gets one in /dev/shm, where psf open writes too.
shm=$(mktemp -d /dev/shm/photoseal-bench-XXXXXX)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work" "$shm"' EXIT
mkdir -m 700 "$shm/runtime" "$shm/opened"
head -c 1073741824 /dev/urandom > "$shm/video.mp4"
run sh -c 'PHOTOSEAL_PASSWORD=$4 "$1" login --server "$3" --email alice@example.org >/dev/null &&
           "$1" seal --server "$3" --to bob@example.org --no-patient --consent not-needed -o "$5/video.psf" "$5/video.mp4" >/dev/null &&
           rm "$5/video.mp4" &&
           XDG_RUNTIME_DIR=$5/runtime "$2" open "$3" bob@example.org "$4" "$5/video.psf" &&
           "$1" logout --server "$3" >/dev/null &&
           PHOTOSEAL_PASSWORD=$4 "$1" login --server "$3" --email bob@example.org >/dev/null &&
           /usr/bin/time -f "| the same with psf open -o FOLDER (release + decrypt + extract) | %e s, %U + %S CPU s, peak RSS %M KiB |" \
             "$1" open -o "$5/opened" "$5/video.psf" 2>&1 >/dev/null | tail -1' \
  sh "$build/src/cli/psf" "$build/bench/app-bench" "$origin" "$password" "$shm"
rm -rf "$shm"
run "$build/bench/app-bench" seal "$origin" alice@example.org "$password" bob@example.org "$work"/photos/*.jpg
echo
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); Xvfb, GSK_RENDERER=$GSK_RENDERER; command: bench/app.sh"
