#!/bin/sh
# test-cli.sh: psf's arguments, exit codes and one-line errors.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

psf=$(readlink -f "$1")
make_hostile_file=$(readlink -f "$2")
tests=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

failures=0
fail() {
  echo "FAIL: $*"; failures=$((failures + 1))
}
check() {
  # check EXPECTED-EXIT DESCRIPTION -- COMMAND…
  expected=$1; what=$2; shift 3
  "$@" > out.txt 2> err.txt
  status=$?
  if [ "$status" != "$expected" ]; then
    fail "$what: exit $status, expected $expected"; cat err.txt
  elif [ "$expected" != 0 ] && [ "$(wc -l < err.txt)" -lt 1 ]; then
    fail "$what: no error message"
  elif [ "$expected" != 0 ] && ! head -n 1 err.txt | grep -q '^psf: '; then
    fail "$what: error does not start with 'psf: '"; cat err.txt
  else
    echo "ok: $what"
  fi
}

key=AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX
printf '# test key\n%s\n' "$key" > id.key
printf 'pixels' > photo.jpg
recipient=age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj
# Consent and the patient are always said, never assumed.
anon='--no-patient --consent not-needed'

check 0 "help" -- "$psf" --help
check 2 "no verb" -- "$psf"
check 2 "unknown verb" -- "$psf" frobnicate
check 2 "unknown option" -- "$psf" seal --frobnicate
check 2 "seal without -o" -- "$psf" seal $anon --archive-recipient "$recipient" photo.jpg
check 2 "seal without photos" -- "$psf" seal $anon --archive-recipient "$recipient" -o x.psf
check 2 "seal without recipient" -- "$psf" seal -o x.psf photo.jpg
check 2 "bad consent" -- "$psf" seal --no-patient --archive-recipient "$recipient" --consent maybe \
  -o x.psf photo.jpg
check 2 "seal without --consent" -- "$psf" seal --no-patient --archive-recipient "$recipient" \
  -o x.psf photo.jpg
grep -q -- '--consent' err.txt || fail "the error does not name --consent"
check 2 "seal without a patient" -- "$psf" seal --consent written --archive-recipient "$recipient" \
  -o x.psf photo.jpg
grep -q -- '--patient-name' err.txt || fail "the error does not name --patient-name"
check 2 "a patient name without an identifier" -- "$psf" seal --consent written --patient-name Jo \
  --archive-recipient "$recipient" -o x.psf photo.jpg
grep -q -- '--patient-id' err.txt || fail "the error does not name --patient-id"
check 2 "--no-patient with a patient name" -- "$psf" seal --consent none --no-patient \
  --patient-name Jo --archive-recipient "$recipient" -o x.psf photo.jpg
check 2 "an unknown purpose" -- "$psf" seal $anon --consent written --purpose care,fun \
  --archive-recipient "$recipient" -o x.psf photo.jpg
check 2 "a purpose without consent" -- "$psf" seal --no-patient --consent none --purpose care \
  --archive-recipient "$recipient" -o x.psf photo.jpg
check 2 "bad date of birth" -- "$psf" seal --consent verbal --patient-name Jo --patient-id MRN-1 \
  --patient-dob 2001-02-29 --archive-recipient "$recipient" -o x.psf photo.jpg
grep -q -- '--patient-dob' err.txt || fail "the error does not name --patient-dob"
check 1 "bad recipient" -- "$psf" seal $anon --archive-recipient age1nope -o x.psf photo.jpg
check 1 "missing photo" -- "$psf" seal $anon --archive-recipient "$recipient" -o x.psf missing.jpg
[ ! -e x.psf ] || fail "a failed seal left x.psf"
ls -A | grep -q '^\.x\.psf' && fail "a failed seal left a temporary file"

check 0 "seal" -- "$psf" seal $anon --archive-recipient "$recipient" -o x.psf photo.jpg
check 0 "open shows consent not needed" -- "$psf" open -i id.key -o anon-out x.psf
grep -q 'Not needed' out.txt || fail "open does not show the consent"
grep -q 'do not identify' out.txt || fail "open does not say there is no patient"
check 0 "seal with consent and purposes" -- "$psf" seal --consent written --purpose teaching \
  --purpose publication,care --patient-name 'Jo Bloggs' --patient-id MRN-1 \
  --archive-recipient "$recipient" -o consent.psf photo.jpg
check 0 "open shows the consent and purposes" -- "$psf" open -i id.key -o consent-out consent.psf
grep -q 'Obtained: written' out.txt && grep -q 'clinical care, teaching, publication' out.txt \
  || { fail "open does not show consent and purposes"; cat out.txt; }
grep -q '"purposes":\["care","teaching","publication"\]' consent-out/consent/manifest.json \
  || fail "the manifest lacks the purposes"
check 0 "seal without consent obtained" -- "$psf" seal --consent none --patient-name Jo \
  --patient-id MRN-1 --archive-recipient "$recipient" -o none.psf photo.jpg
check 0 "open warns that consent was not obtained" -- "$psf" open -i id.key -o none-out none.psf
grep -q 'WARNING: Not obtained' out.txt || { fail "no warning"; cat out.txt; }
check 0 "inspect" -- "$psf" inspect x.psf
grep -q 'X25519' out.txt || fail "inspect does not name the X25519 recipient"
grep -q 'Sender not confirmed' out.txt || fail "inspect does not say the sender is not confirmed"
check 0 "inspect --json" -- "$psf" inspect --json x.psf
grep -q '"type" : "X25519"' out.txt || fail "inspect --json"
check 0 "seal to standard output" -- \
  sh -c "'$psf' seal $anon --archive-recipient $recipient -o - photo.jpg > piped.psf"
check 0 "open what was piped" -- "$psf" open -i id.key -o piped-out piped.psf
cmp photo.jpg piped-out/piped/photos/01-photo.jpg || fail "piped seal"

check 2 "open without a file" -- "$psf" open -i id.key
check 3 "open without a key" -- "$psf" open x.psf
check 1 "open with a bad identity file" -- "$psf" open -i photo.jpg x.psf
check 0 "open" -- "$psf" open -i id.key -o out x.psf
cmp photo.jpg out/x/photos/01-photo.jpg || fail "opened bytes differ"
grep -q 'From: .*(Sender not confirmed)' out.txt \
  || { fail "an age-key open does not say the sender is not confirmed"; cat out.txt; }

# A .psf on a pipe is read once, front to back, in constant memory:
# "curl … | psf open -". drip.py writes it a few bytes at a time, so the
# header arrives in short reads. (The old psf read the header, then opened
# the file again: a pipe had lost its header by then and a FIFO was
# refused or hung.)
drip="/usr/bin/python3 $tests/drip.py"
check 0 "open - from a pipe" -- sh -c "$drip x.psf | '$psf' open -i id.key -o pipe-out -"
cmp photo.jpg pipe-out/stdin/photos/01-photo.jpg || fail "the piped open differs"
check 0 "open - from a pipe into the same folder again" -- \
  sh -c "$drip x.psf | '$psf' open -i id.key -o pipe-out -"
[ -d "pipe-out/stdin (2)" ] || { fail "the second piped open is not in 'stdin (2)'"; ls pipe-out; }
check 0 "open /dev/stdin from a pipe" -- \
  sh -c "$drip x.psf | '$psf' open -i id.key -o devstdin-out /dev/stdin"
cmp photo.jpg devstdin-out/stdin/photos/01-photo.jpg || fail "the /dev/stdin open differs"
mkfifo fifo.psf
$drip x.psf > fifo.psf &
dripper=$!
check 0 "open a FIFO" -- timeout 30 "$psf" open -i id.key -o fifo-out fifo.psf
kill "$dripper" 2>/dev/null; wait "$dripper" 2>/dev/null
cmp photo.jpg fifo-out/fifo/photos/01-photo.jpg || fail "the FIFO open differs"
check 0 "inspect - from a pipe" -- sh -c "$drip x.psf | '$psf' inspect -"
grep -q '^standard input: Photoseal sealed file (age v1)$' out.txt \
  && grep -q 'X25519' out.txt || { fail "inspect - does not describe the piped file"; cat out.txt; }
check 0 "inspect --json < FILE" -- sh -c "'$psf' inspect --json - < x.psf"
grep -q "\"size\" : $(wc -c < x.psf)," out.txt || { fail "inspect - < FILE lost the size"; cat out.txt; }
check 0 "inspect --json /dev/stdin from a pipe" -- \
  sh -c "$drip x.psf | '$psf' inspect --json /dev/stdin"
grep -q '"size" : null' out.txt || { fail "a pipe's size is not null"; cat out.txt; }
size=$(wc -c < x.psf)
for cut in 20 300 $((size - 1))
do
  check 4 "open a stream cut at $cut of $size bytes" -- \
    sh -c "$drip x.psf $cut | '$psf' open -i id.key -o cut-pipe-out -"
  grep -q 'damaged\|truncated\|incomplete' err.txt \
    || { fail "not reported as damaged"; cat err.txt; }
  [ -z "$(ls -A cut-pipe-out 2>/dev/null)" ] \
    || { fail "a cut stream left files"; ls -A cut-pipe-out; }
done
# "-" on a terminal would wait for typing that can never be a .psf.
check 2 "open - on a terminal" -- /usr/bin/python3 "$tests/pty-run.py" "$psf" open -i id.key -
grep -q 'psf: standard input: it is a terminal' err.txt \
  || { fail "no terminal error"; cat err.txt; }
check 2 "inspect - on a terminal" -- /usr/bin/python3 "$tests/pty-run.py" "$psf" inspect -

head -c 100 x.psf > cut.psf
check 4 "open a truncated file" -- "$psf" open -i id.key -o cut-out cut.psf
[ ! -e cut-out/cut ] || fail "truncated file extracted"
check 4 "inspect a non-age file" -- "$psf" inspect photo.jpg

# Terminal injection: a header's origin (percent-decoded to ESC) and a file
# name reach the terminal escaped, never as raw control characters.
esc=$(printf '\033')
zeros=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
printf 'age-encryption.org/v1\n-> photoseal AAECAwQFBgcICQoLDA0ODw %s\n%s\n--- %s\n' \
  'https://a%1b[31mb.example' "$zeros" "$zeros" > esc.psf
check 0 "inspect a header with an ESC in its origin" -- "$psf" inspect esc.psf
grep -q "$esc" out.txt && fail "inspect printed a raw ESC"
check 1 "a file name with an ESC" -- "$psf" inspect "$(printf 'a\033[31mb.psf')"
grep -q "$esc" err.txt && fail "an error printed a raw ESC"

PHOTOSEAL_PASSPHRASE='correct horse battery' check 0 "seal with a passphrase" -- \
  "$psf" seal $anon --passphrase -o pass.psf photo.jpg
PHOTOSEAL_PASSPHRASE='wrong' check 3 "wrong passphrase" -- "$psf" open -o pass-out pass.psf
PHOTOSEAL_PASSPHRASE='correct horse battery' \
  check 0 "right passphrase" -- "$psf" open -o pass-out pass.psf
PHOTOSEAL_PASSPHRASE='correct horse battery' check 0 "a passphrase file from a pipe" -- \
  sh -c "$drip pass.psf | '$psf' open -o pass-pipe-out -"
cmp photo.jpg pass-pipe-out/stdin/photos/01-photo.jpg || fail "the piped passphrase open differs"

# psf open killed mid-extraction leaves its partial folder; the next open
# into the same folder removes it once it is stale. A FIFO holds the open
# mid-way: half the file is written, then the writer waits (the seal is
# checked: without --consent it made nothing and this part was skipped).
head -c 4000000 /dev/urandom > big.bin
check 0 "seal a 4 MB file" -- "$psf" seal $anon --archive-recipient "$recipient" -o big.psf big.bin
rm -f big.bin
mkfifo held.psf
sh -c 'head -c 2000000 big.psf; exec sleep 60' > held.psf &
writer=$!
"$psf" open -i id.key -o killed held.psf > /dev/null 2>&1 &
opener=$!
partial=""
for _ in $(seq 200); do
  partial=$(ls -A killed 2>/dev/null | grep '^\.photoseal-partial\.held\.')
  [ -n "$partial" ] && break
  sleep 0.05
done
kill -9 "$opener" 2>/dev/null; wait "$opener" 2>/dev/null
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
rm -f big.psf
if [ -z "$partial" ] || [ ! -d "killed/$partial" ]; then
  fail "no partial folder while the open was held mid-way"
else
  check 0 "open beside a fresh partial folder" -- "$psf" open -i id.key -o killed x.psf
  if [ ! -d "killed/$partial" ]; then
    fail "a partial folder younger than 10 s was removed"
  fi
  touch -d '1 minute ago' "killed/$partial"
  check 0 "open beside a stale partial folder" -- "$psf" open -i id.key -o killed piped.psf
  if [ -e "killed/$partial" ]; then
    fail "the stale partial folder of a killed open is still there"
  else
    echo "ok: a killed open's partial folder is swept on the next run"
  fi
fi

# Crafted files (tests/hostile-files.c): each is "damaged" (exit 4), never
# a crash, and leaves nothing behind; the dotfile names one opens without
# writing a single hidden file.
for kind in $("$make_hostile_file" --list); do
  "$make_hostile_file" "$kind" "$recipient" "$kind.psf"
  expected=4
  [ "$kind" = dotfile-names ] && expected=0
  check $expected "open hostile file $kind" -- "$psf" open -i id.key -o "hostile-$kind" "$kind.psf"
  if [ "$kind" = deep-manifest ] && ! grep -q 'damaged' err.txt; then
    fail "$kind: not reported as damaged"; cat err.txt
  fi
  # The same through a pipe: read once, it is refused as surely.
  check $expected "open hostile file $kind from a pipe" -- \
    sh -c "cat '$kind.psf' | '$psf' open -i id.key -o 'hostile-pipe-$kind' -"
  if [ $expected != 0 ] && [ -n "$(ls -A "hostile-pipe-$kind" 2>/dev/null)" ]; then
    fail "$kind from a pipe: left files behind"; ls -A "hostile-pipe-$kind"
  fi
  if [ -d "hostile-$kind" ] \
     && [ "$(find "hostile-$kind" -mindepth 1 \( -name '.*' -o -newer "$kind.psf" \) -print | \
             grep -c "$([ $expected = 0 ] && echo '/\.' || echo .)")" != 0 ]; then
    fail "$kind: left files behind"; find "hostile-$kind"
  fi
done
# A reader refuses a manifest over 1 MiB or 10 000 items, so the writer
# must never make one: 6,000 photos fit and open again; 6,000 with long
# names do not fit and are refused before anything is written.
mkdir many long
i=0
while [ $i -lt 6000 ]; do
  printf 'p%d' $i > "many/IMG_$i.jpg"
  : > "long/$(printf '%0200d' $i)"
  i=$((i + 1))
done
check 0 "seal 6,000 photos" -- "$psf" seal $anon --archive-recipient "$recipient" -o many.psf many/*
# Into memory where there is some: 6,000 fsyncs on a disk take half a minute.
many_out=$(mktemp -d /dev/shm/psf-test-XXXXXX 2>/dev/null || mktemp -d "$work/many-out-XXXXXX")
trap 'rm -rf "$work" "$many_out"' EXIT
check 0 "open 6,000 photos" -- "$psf" open -i id.key -o "$many_out" many.psf
[ "$(ls "$many_out/many/photos" | wc -l)" = 6000 ] || fail "6,000 photos did not all open"
# Format errors exit 4, as for a damaged file.
check 4 "seal a manifest over 1 MiB" -- \
  "$psf" seal $anon --archive-recipient "$recipient" -o long.psf long/*
grep -q '1 MiB' err.txt || { fail "the error does not name the limit"; cat err.txt; }
[ ! -e long.psf ] || fail "a refused seal left long.psf"

echo "$failures failure(s)"
[ "$failures" = 0 ]
