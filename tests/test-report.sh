#!/bin/sh
# test-report.sh: psf open --report writes a PDF that holds the details and
# every photo, checked with poppler's own tools; hostile text stays text, an
# over-limit image is left out without being decoded, and a long note runs
# onto more pages without losing a line.
#
#   test-report.sh PSF SAMPLE-PHOTO
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

psf=$(readlink -f "$1")
sample=$(readlink -f "$2")
for tool in pdftotext pdfimages pdfinfo pdftoppm convert python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# amber_pixels PDF: how many pixels of the first page are the warning amber.
amber_pixels() {
  pdftoppm -r 30 -f 1 -l 1 "$1" page
  python3 - page-1.ppm <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
fields = data.split(maxsplit=4)
pixels = fields[4]
print(sum(1 for i in range(0, len(pixels) - 2, 3)
          if abs(pixels[i] - 255) < 8 and abs(pixels[i + 1] - 230) < 8
          and abs(pixels[i + 2] - 166) < 8))
PY
}

key=AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX
printf '%s\n' "$key" > id.key
recipient=age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj
cp "$sample" wound.jpg
cp "$sample" wound-later.jpg
convert -size 320x200 gradient:red-blue scale.png

seal_and_report() {
  # seal_and_report NAME SEAL-ARGS… : seals NAME.psf, then opens it with a report
  name=$1; shift
  "$psf" seal --archive-recipient "$recipient" -o "$name.psf" "$@" > /dev/null 2> seal.err \
    || { fail "sealing $name"; cat seal.err; return 1; }
  "$psf" open -i id.key -o "$name-out" --report "$name.pdf" "$name.psf" > /dev/null 2> open.err \
    || { fail "opening $name with a report"; cat open.err; return 1; }
}

# The details and every photo.
if seal_and_report details --patient-name 'Jane <b>Roe</b> & Co' --patient-id MRN-004 \
     --patient-dob 1970-01-31 --consent written --purpose care,teaching --note 'Left shin, day 3' \
     wound.jpg wound-later.jpg scale.png; then
  pdftotext -layout details.pdf details.txt
  for text in 'Jane <b>Roe</b> & Co' MRN-004 '31 Jan 1970' 'Obtained: written' \
              'clinical care, teaching' 'Left shin, day 3' wound.jpg wound-later.jpg scale.png \
              'not confirmed'; do
    grep -qF -- "$text" details.txt && ok "the report shows '$text'" \
      || fail "the report lacks '$text'"
  done
  images=$(pdfimages -list details.pdf | tail -n +3 | awk '$3 == "image"' | wc -l)
  [ "$images" = 3 ] && ok "the report holds 3 photos" \
    || fail "the report holds $images photos, not 3"
  pdfinfo details.pdf | grep -q 'Page size:.*(A4)' && ok "A4 paper in this locale" \
    || fail "not A4: $(pdfinfo details.pdf | grep 'Page size')"
  pdfinfo details.pdf | grep -q '^Title:.*Jane' && fail "the patient is in the PDF's metadata"
  amber=$(amber_pixels details.pdf)
  [ "$amber" = 0 ] && ok "consent obtained: no warning band" \
    || fail "consent obtained, yet $amber pixels of warning amber"
fi

# A long note: more pages, and its last line still there.
python3 -c "print(' '.join('line%03d of a long clinical note.' % i for i in range(600))
             + ' ENDOFNOTE')" > note.txt
if seal_and_report long --no-patient --consent verbal --note "$(cat note.txt)" wound.jpg; then
  pages=$(pdfinfo long.pdf | sed -n 's/^Pages: *//p')
  [ "${pages:-0}" -ge 3 ] && ok "a long note takes $pages pages" \
    || fail "a long note took ${pages:-0} page(s)"
  pdftotext long.pdf long.txt
  for text in line000 line599 ENDOFNOTE wound.jpg; do
    grep -qF "$text" long.txt && ok "the long report keeps '$text'" \
      || fail "the long report lost '$text'"
  done
fi

# 9000 × 9000 pixels in a small PNG: left out before it is decoded.
python3 - <<'PY'
import struct, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
side = 9000
z = zlib.compressobj(9)
raw = b"".join(z.compress(b"\0" + b"\xff" * (side // 8 + 1)) for _ in range(side)) + z.flush()
header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
open("huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
                             + chunk(b"IEND", b""))
PY
if seal_and_report huge --patient-name Jo --patient-id MRN-9 --consent none huge.png wound.jpg; then
  pdftotext huge.pdf huge.txt
  grep -q 'Not obtained' huge.txt && ok "the report says consent was not obtained" \
    || fail "the report does not say consent was not obtained"
  amber=$(amber_pixels huge.pdf)
  [ "$amber" -gt 200 ] && ok "consent not obtained: a warning band ($amber pixels)" \
    || fail "consent not obtained, but only $amber pixels of warning amber"
  grep -q 'too large or damaged' huge.txt && ok "an over-limit photo is named as not shown" \
    || fail "the over-limit photo is not reported as left out"
  images=$(pdfimages -list huge.pdf | tail -n +3 | awk '$3 == "image"' | wc -l)
  [ "$images" = 1 ] && ok "only the photo within limits is drawn" \
    || fail "$images photos drawn, not 1"
  peak=$(command time -f %M "$psf" open -i id.key -o huge-again --report huge2.pdf huge.psf \
           2>&1 >/dev/null | tail -n 1)
  [ "${peak:-999999}" -lt 153600 ] && ok "peak memory ${peak} KiB for the over-limit photo" \
    || fail "peak memory ${peak} KiB: the over-limit photo was decoded"
fi

# A report that cannot be written leaves nothing and says why.
"$psf" open -i id.key -o fail-out --report /nonexistent/r.pdf details.psf > /dev/null 2> err.txt \
  && fail "a report into a missing folder succeeded"
head -n 1 err.txt | grep -q '^psf: ' && ok "an unwritable report is a one-line error" \
  || fail "no one-line error for an unwritable report"

echo "$failures failure(s)"
[ "$failures" = 0 ]
