#!/bin/sh
# interop.sh: .psf files against the real age and tar tools, both ways.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

psf=$(readlink -f "$1")
for tool in age age-keygen tar; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (Debian package: age)"; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*"; exit 1; }

age-keygen -o archive.key 2>/dev/null
recipient=$(age-keygen -y archive.key)
head -c 300000 /dev/urandom > scan.dcm
printf 'not really a video' > clip.mp4

# 1. psf seals, age opens, tar lists manifest.json first.
"$psf" seal --archive-recipient "$recipient" --patient-name 'Jo Bloggs' --patient-id MRN-1 \
  --consent verbal -o sealed.psf \
  scan.dcm clip.mp4 >/dev/null
age -d -i archive.key sealed.psf > sealed.tar || fail "age could not decrypt a psf file"
first=$(tar tf sealed.tar | head -n 1)
[ "$first" = manifest.json ] || fail "first tar entry is '$first', not manifest.json"
mkdir by-age && tar xf sealed.tar -C by-age
cmp scan.dcm by-age/photos/01-scan.dcm || fail "age+tar gave different bytes"
cmp clip.mp4 by-age/photos/02-clip.mp4 || fail "age+tar gave different bytes"
grep -q '"name" *: *"Jo Bloggs"' by-age/manifest.json || fail "manifest lacks the patient"

# 2. GNU tar builds the bundle, age encrypts it, psf opens it.
(cd by-age &&
   tar --format=pax -cf ../rebuilt.tar manifest.json photos/01-scan.dcm photos/02-clip.mp4)
age -r "$recipient" -o rebuilt.psf rebuilt.tar
"$psf" open --identity archive.key -o out rebuilt.psf >/dev/null ||
  fail "psf could not open an age file"
cmp scan.dcm out/rebuilt/photos/01-scan.dcm || fail "psf gave different bytes"

# 3. A file for someone else is refused with exit code 3 and nothing written.
age-keygen -o other.key 2>/dev/null
status=0
"$psf" open --identity other.key -o refused sealed.psf 2>/dev/null || status=$?
[ "$status" = 3 ] || fail "wrong key: exit $status, expected 3"
[ ! -e refused ] || [ -z "$(ls -A refused)" ] || fail "wrong key left files behind"

echo "interop: age $(age --version) agrees with psf in both directions"
