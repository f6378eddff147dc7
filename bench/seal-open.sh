#!/bin/sh
# seal-open.sh: seal and open throughput and peak memory of psf, against
# Debian's age, gpg --symmetric, cat (the copy limit) and the raw
# ChaCha20-Poly1305 loop, on the same files in one run. Not a test: it
# prints a table, then whether each of psf's targets was met.
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

# best_of COMMAND…: runs it three times, prints "SECONDS PEAK-KiB CPU-SECONDS"
# of the fastest. Seconds to the millisecond: time(1) gives only hundredths.
# CPU seconds (user + system, all threads) tell more than wall time when
# the machine is shared.
best_of() {
  best=""
  for run in 1 2 3; do
    rm -rf out out.* opened
    start=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o timing sh -c "$*" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s%N)
    read -r peak user system < timing
    this="$(printf '%.3f' "$(echo "scale=3; ($end - $start) / 1000000000" | bc)") $peak $(printf '%.2f' "$(echo "$user + $system" | bc)")"
    if [ -z "$best" ] || [ "$(echo "${this%% *} < ${best%% *}" | bc)" = 1 ]; then
      best=$this
    fi
  done
  echo "$best"
}

# row NAME BYTES "SECONDS PEAK-KiB CPU" [PSF-SECONDS]: one line of the table. The
# last column is this row's time over psf's for the same work: above 1, psf
# is that many times faster; for cat, below 1, and 1 / it is how many times
# the copy limit psf takes.
row() {
  set -- "$1" "$2" $3 "${4:-}"
  seconds=$3
  peak=$4
  cpu=$5
  psf_seconds=$6
  mbs=$(echo "scale=0; $2 / 1000000 / $seconds" | bc 2>/dev/null || echo "-")
  ratio=""
  [ -n "$psf_seconds" ] && ratio="$(printf '%.2f' "$(echo "scale=3; $seconds / $psf_seconds" | bc)")×"
  printf "| %-44s | %9s | %8s | %8s | %9s | %8s |\n" "$1" "$mbs" "$seconds" "$cpu" "$((peak / 1024))" "$ratio"
}

# target TEXT VALUE OP LIMIT: one line saying whether a target was met.
target() {
  if [ "$(echo "$2 $3 $4" | bc)" = 1 ]; then verdict=met; else verdict=MISSED; fi
  printf -- "- %-52s %6s (target %s %s): %s\n" "$1" "$2" "$3" "$4" "$verdict"
}

secs() { echo "${1%% *}"; }
peak_mib() { set -- $1; echo "$(( $2 / 1024 ))"; }

big=1073741824
set_bytes=500000000

chacha() {
  seconds=$(printf '%.3f' "$(echo "scale=3; 1073.741824 / $("$build/bench/chacha-loop" 1024 "$1")" | bc)")
  echo "$seconds 0 $seconds"
}
psf_null=$(best_of "$psf seal --no-patient --consent not-needed --archive-recipient $recipient -o - big.bin > /dev/null")
age_null=$(best_of "age -r $recipient big.bin > /dev/null")
gpg_null=$(best_of "$gpg_sym --symmetric -o - big.bin > /dev/null")
cat_file=$(best_of "cat big.bin > out.bin")
psf_file=$(best_of "$psf seal --no-patient --consent not-needed --archive-recipient $recipient -o out.psf big.bin")
age_file=$(best_of "age -r $recipient -o out.age big.bin")
gpg_file=$(best_of "$gpg_sym --symmetric -o out.gpg big.bin")

"$psf" seal --no-patient --consent not-needed --archive-recipient "$recipient" -o big.psf big.bin >/dev/null
age -r "$recipient" -o big.age big.bin
$gpg_sym --symmetric -o big.gpg big.bin
psf_open=$(best_of "$psf open -i key.txt -o opened big.psf")
psf_open_pipe=$(best_of "cat big.psf | $psf open -i key.txt -o opened -")
age_open=$(best_of "age -d -i key.txt -o out.bin big.age")
gpg_open=$(best_of "$gpg_sym --decrypt -o out.bin big.gpg")
age_open_null=$(best_of "age -d -i key.txt big.age > /dev/null")

psf_set=$(best_of "$psf seal --no-patient --consent not-needed --archive-recipient $recipient -o out.psf photos/*")
age_set=$(best_of "tar cf - photos | age -r $recipient -o out.age")
gpg_set=$(best_of "tar cf - photos | $gpg_sym --symmetric -o out.gpg")
"$psf" seal --no-patient --consent not-needed --archive-recipient "$recipient" -o set.psf photos/* >/dev/null
tar cf - photos | age -r "$recipient" -o set.age
psf_set_open=$(best_of "$psf open -i key.txt -o opened set.psf")
age_set_open=$(best_of "mkdir opened && age -d -i key.txt set.age | tar x -C opened")

printf "| %-44s | %9s | %8s | %8s | %9s | %8s |\n" "operation" "MB/s" "seconds" "CPU s" "peak MiB" "vs psf"
printf "|%s|%s|%s|%s|%s|%s|\n" "----------------------------------------------" "-----------" \
  "----------" "----------" "-----------" "----------"
row "raw ChaCha20-Poly1305, libcrypto, one core" $big "$(chacha libcrypto)"
row "raw ChaCha20-Poly1305, libsodium, one core" $big "$(chacha libsodium)"
row "psf seal 1 GiB to /dev/null" $big "$psf_null"
row "age -r 1 GiB to /dev/null" $big "$age_null" "$(secs "$psf_null")"
row "gpg --symmetric 1 GiB to /dev/null" $big "$gpg_null" "$(secs "$psf_null")"
row "psf seal 1 GiB to file" $big "$psf_file"
row "cat 1 GiB to file (the copy limit)" $big "$cat_file" "$(secs "$psf_file")"
row "age -r 1 GiB to file" $big "$age_file" "$(secs "$psf_file")"
row "gpg --symmetric 1 GiB to file" $big "$gpg_file" "$(secs "$psf_file")"
row "psf open 1 GiB to folder" $big "$psf_open"
row "cat | psf open - 1 GiB to folder (a pipe)" $big "$psf_open_pipe" "$(secs "$psf_open")"
row "age -d 1 GiB to file" $big "$age_open" "$(secs "$psf_open")"
row "gpg --decrypt 1 GiB to file" $big "$gpg_open" "$(secs "$psf_open")"
row "age -d 1 GiB to /dev/null" $big "$age_open_null" "$(secs "$psf_open")"
row "psf seal 100 × 5 MB to file" $set_bytes "$psf_set"
row "tar | age -r 100 × 5 MB to file" $set_bytes "$age_set" "$(secs "$psf_set")"
row "tar | gpg --symmetric 100 × 5 MB to file" $set_bytes "$gpg_set" "$(secs "$psf_set")"
row "psf open 100 × 5 MB to folder" $set_bytes "$psf_set_open"
row "age -d | tar x 100 × 5 MB to folder" $set_bytes "$age_set_open" "$(secs "$psf_set_open")"

echo
echo "Targets:"
ratio() { printf '%.2f' "$(echo "scale=3; $(secs "$1") / $(secs "$2")" | bc)"; }
target "psf seal 1 GiB to file, × age's MB/s" "$(ratio "$age_file" "$psf_file")" ">=" 1.5
target "psf seal 1 GiB to file, × cat's time" "$(ratio "$psf_file" "$cat_file")" "<=" 1.6
target "psf open 1 GiB, × age's MB/s" "$(ratio "$age_open" "$psf_open")" ">=" 2
target "psf seal 100 × 5 MB, × tar | age's MB/s" "$(ratio "$age_set" "$psf_set")" ">=" 1.3
target "psf open 100 × 5 MB, × age -d | tar x's MB/s" "$(ratio "$age_set_open" "$psf_set_open")" ">=" 1.3
target "psf seal 1 GiB, peak MiB" "$(peak_mib "$psf_file")" "<" 32
target "psf open 1 GiB, peak MiB" "$(peak_mib "$psf_open")" "<" 32
target "psf open - 1 GiB from a pipe, peak MiB" "$(peak_mib "$psf_open_pipe")" "<" 32

echo
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(age --version | head -1) (age), $(gpg --version | head -1)"
echo "load while measuring (the machine may be shared):$(uptime | sed 's/.*load average//')"
