#!/bin/sh
# seal-open.sh: seal and open throughput and peak memory of psf, against
# Debian's age, gpg --symmetric and the raw ChaCha20-Poly1305 loop, on the
# same files in one run. Not a test: it prints a table.
#
#   bench/seal-open.sh [BUILD-DIR]      (default: _build)
#
# Files live in /dev/shm so the disk does not decide the result; each
# figure is the best of three runs. Writing a new file into tmpfs costs
# the same for every tool, so seal is measured into /dev/null as well.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
"$top/build-aux/install-deps" bench
ninja -C "$build" src/cli/psf bench/chacha-loop >/dev/null

psf="$build/src/cli/psf"
work=$(mktemp -d /dev/shm/photoseal-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "Preparing a 1 GiB file and 100 photos of 5 MB in $work…" >&2
head -c 1073741824 /dev/urandom > big.bin
mkdir photos
i=0
while [ $i -lt 100 ]; do
  head -c 5000000 /dev/urandom > "photos/IMG_$(printf %04d $i).jpg"
  i=$((i + 1))
done
age-keygen -o key.txt 2>/dev/null
recipient=$(age-keygen -y key.txt)
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg_sym="gpg --batch --quiet --pinentry-mode loopback --passphrase bench --compress-algo none --cipher-algo AES256"

# best_of COMMAND…: runs it three times, prints "SECONDS PEAK-KiB" of the fastest.
best_of() {
  best=""
  for run in 1 2 3; do
    rm -rf out out.* opened
    /usr/bin/time -f "%e %M" -o timing sh -c "$*" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    if [ -z "$best" ] || [ "$(echo "$(cut -d' ' -f1 timing) < $(echo "$best" | cut -d' ' -f1)" | bc)" = 1 ]; then
      best=$(cat timing)
    fi
  done
  echo "$best"
}

row() {
  # row NAME BYTES "SECONDS PEAK-KiB"
  seconds=${3% *}
  peak=${3#* }
  mbs=$(echo "scale=0; $2 / 1000000 / $seconds" | bc 2>/dev/null || echo "-")
  printf "| %-44s | %9s | %8s | %9s |\n" "$1" "$mbs" "$seconds" "$((peak / 1024))"
}

big=1073741824
set_bytes=500000000

printf "| %-44s | %9s | %8s | %9s |\n" "operation" "MB/s" "seconds" "peak MiB"
printf "|%s|%s|%s|%s|\n" "----------------------------------------------" "-----------" "----------" "-----------"

row "raw ChaCha20-Poly1305, one core, no I/O" $big "$(echo "scale=3; 1073.741824 / $("$build/bench/chacha-loop" 1024)" | bc) 0"

row "psf seal 1 GiB to /dev/null" $big "$(best_of "$psf seal --archive-recipient $recipient -o - big.bin > /dev/null")"
row "age -r 1 GiB to /dev/null" $big "$(best_of "age -r $recipient big.bin > /dev/null")"
row "gpg --symmetric 1 GiB to /dev/null" $big "$(best_of "$gpg_sym --symmetric -o - big.bin > /dev/null")"

row "psf seal 1 GiB to file" $big "$(best_of "$psf seal --archive-recipient $recipient -o out.psf big.bin")"
row "age -r 1 GiB to file" $big "$(best_of "age -r $recipient -o out.age big.bin")"
row "gpg --symmetric 1 GiB to file" $big "$(best_of "$gpg_sym --symmetric -o out.gpg big.bin")"

"$psf" seal --archive-recipient "$recipient" -o big.psf big.bin >/dev/null
age -r "$recipient" -o big.age big.bin
$gpg_sym --symmetric -o big.gpg big.bin
row "psf open 1 GiB to folder" $big "$(best_of "$psf open -i key.txt -o opened big.psf")"
row "age -d 1 GiB to file" $big "$(best_of "age -d -i key.txt -o out.bin big.age")"
row "gpg --decrypt 1 GiB to file" $big "$(best_of "$gpg_sym --decrypt -o out.bin big.gpg")"
row "age -d 1 GiB to /dev/null" $big "$(best_of "age -d -i key.txt big.age > /dev/null")"

row "psf seal 100 × 5 MB to file" $set_bytes "$(best_of "$psf seal --archive-recipient $recipient -o out.psf photos/*")"
row "tar | age -r 100 × 5 MB to file" $set_bytes "$(best_of "tar cf - photos | age -r $recipient -o out.age")"
row "tar | gpg --symmetric 100 × 5 MB to file" $set_bytes "$(best_of "tar cf - photos | $gpg_sym --symmetric -o out.gpg")"

"$psf" seal --archive-recipient "$recipient" -o set.psf photos/* >/dev/null
tar cf - photos | age -r "$recipient" -o set.age
row "psf open 100 × 5 MB to folder" $set_bytes "$(best_of "$psf open -i key.txt -o opened set.psf")"
row "age -d | tar x 100 × 5 MB to folder" $set_bytes "$(best_of "mkdir opened && age -d -i key.txt set.age | tar x -C opened")"

echo
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(age --version | head -1) (age), $(gpg --version | head -1)"
