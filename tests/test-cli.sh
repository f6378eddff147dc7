#!/bin/sh
# test-cli.sh: psf's arguments, exit codes and one-line errors.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

psf=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

failures=0
check() {
  # check EXPECTED-EXIT DESCRIPTION -- COMMAND…
  expected=$1; what=$2; shift 3
  "$@" > out.txt 2> err.txt
  status=$?
  if [ "$status" != "$expected" ]; then
    echo "FAIL: $what: exit $status, expected $expected"; cat err.txt; failures=$((failures + 1))
  elif [ "$expected" != 0 ] && [ "$(wc -l < err.txt)" -lt 1 ]; then
    echo "FAIL: $what: no error message"; failures=$((failures + 1))
  elif [ "$expected" != 0 ] && ! head -n 1 err.txt | grep -q '^psf: '; then
    echo "FAIL: $what: error does not start with 'psf: '"; cat err.txt; failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

key=AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX
printf '# test key\n%s\n' "$key" > id.key
printf 'pixels' > photo.jpg
recipient=age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj

check 0 "help" -- "$psf" --help
check 2 "no verb" -- "$psf"
check 2 "unknown verb" -- "$psf" frobnicate
check 2 "unknown option" -- "$psf" seal --frobnicate
check 2 "seal without -o" -- "$psf" seal --archive-recipient "$recipient" photo.jpg
check 2 "seal without photos" -- "$psf" seal --archive-recipient "$recipient" -o x.psf
check 2 "seal without recipient" -- "$psf" seal -o x.psf photo.jpg
check 2 "bad consent" -- "$psf" seal --archive-recipient "$recipient" --consent maybe -o x.psf photo.jpg
check 2 "bad date of birth" -- "$psf" seal --archive-recipient "$recipient" --patient-dob 2001-02-29 \
  -o x.psf photo.jpg
check 1 "bad recipient" -- "$psf" seal --archive-recipient age1nope -o x.psf photo.jpg
check 1 "missing photo" -- "$psf" seal --archive-recipient "$recipient" -o x.psf missing.jpg
[ ! -e x.psf ] || { echo "FAIL: a failed seal left x.psf"; failures=$((failures + 1)); }
ls -A | grep -q '^\.x\.psf' && { echo "FAIL: a failed seal left a temporary file"; failures=$((failures + 1)); }

check 0 "seal" -- "$psf" seal --archive-recipient "$recipient" -o x.psf photo.jpg
check 0 "inspect" -- "$psf" inspect x.psf
grep -q 'X25519' out.txt || { echo "FAIL: inspect does not name the X25519 recipient"; failures=$((failures + 1)); }
check 0 "inspect --json" -- "$psf" inspect --json x.psf
grep -q '"type" : "X25519"' out.txt || { echo "FAIL: inspect --json"; failures=$((failures + 1)); }
check 0 "seal to standard output" -- sh -c "'$psf' seal --archive-recipient $recipient -o - photo.jpg > piped.psf"
check 0 "open what was piped" -- "$psf" open -i id.key -o piped-out piped.psf
cmp photo.jpg piped-out/piped/photos/01-photo.jpg || { echo "FAIL: piped seal"; failures=$((failures + 1)); }

check 2 "open without a file" -- "$psf" open -i id.key
check 3 "open without a key" -- "$psf" open x.psf
check 1 "open with a bad identity file" -- "$psf" open -i photo.jpg x.psf
check 0 "open" -- "$psf" open -i id.key -o out x.psf
cmp photo.jpg out/x/photos/01-photo.jpg || { echo "FAIL: opened bytes differ"; failures=$((failures + 1)); }

head -c 100 x.psf > cut.psf
check 4 "open a truncated file" -- "$psf" open -i id.key -o cut-out cut.psf
[ ! -e cut-out/cut ] || { echo "FAIL: truncated file extracted"; failures=$((failures + 1)); }
check 4 "inspect a non-age file" -- "$psf" inspect photo.jpg

# Terminal injection: a header's origin (percent-decoded to ESC) and a file
# name reach the terminal escaped, never as raw control characters.
esc=$(printf '\033')
zeros=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
printf 'age-encryption.org/v1\n-> photoseal AAECAwQFBgcICQoLDA0ODw https://a%%1b[31mb.example\n%s\n--- %s\n' \
  "$zeros" "$zeros" > esc.psf
check 0 "inspect a header with an ESC in its origin" -- "$psf" inspect esc.psf
grep -q "$esc" out.txt && { echo "FAIL: inspect printed a raw ESC"; failures=$((failures + 1)); }
check 1 "a file name with an ESC" -- "$psf" inspect "$(printf 'a\033[31mb.psf')"
grep -q "$esc" err.txt && { echo "FAIL: an error printed a raw ESC"; failures=$((failures + 1)); }

PHOTOSEAL_PASSPHRASE='correct horse battery' check 0 "seal with a passphrase" -- \
  "$psf" seal --passphrase -o pass.psf photo.jpg
PHOTOSEAL_PASSPHRASE='wrong' check 3 "wrong passphrase" -- "$psf" open -o pass-out pass.psf
PHOTOSEAL_PASSPHRASE='correct horse battery' check 0 "right passphrase" -- "$psf" open -o pass-out pass.psf

echo "$failures failure(s)"
[ "$failures" = 0 ]
