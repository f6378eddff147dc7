#!/bin/sh
# test-mime.sh: a sealed .psf resolves to application/x-photoseal and shows
# the app's own icon, and a real PC Screen Font (PSF2) named x.psf does not,
# with the app's shared-mime-info file installed in a private XDG data folder.
#
#   test-mime.sh MIME-XML MAKE-SEALED-FILE SAMPLE-PHOTO
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

mime_xml=$1
make_sealed_file=$2
sample=$3
for tool in update-mime-database gio; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

mkdir -p "$work/data/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$mime_xml" "$work/data/mime/packages/"
update-mime-database "$work/data/mime" || { echo "FAIL: update-mime-database"; exit 1; }

type_of() {
  XDG_DATA_HOME="$work/data" XDG_DATA_DIRS="$work/data" \
    gio info -a standard::content-type "$1" | sed -n 's/.*standard::content-type: //p'
}

check() {
  got=$(type_of "$2")
  if [ "$got" = "$1" ]; then echo "ok: $3 is $got"
  else echo "FAIL: $3 is '$got', expected $1"; failures=$((failures + 1)); fi
}

"$make_sealed_file" "$work/photos.psf" "$sample" || { echo "FAIL: sealing"; exit 1; }
check application/x-photoseal "$work/photos.psf" "a sealed .psf"
icons=$(XDG_DATA_HOME="$work/data" XDG_DATA_DIRS="$work/data" \
  gio info -a standard::icon "$work/photos.psf" | sed -n 's/.*standard::icon: //p')
case "$icons" in
  io.github.photoseal.Photoseal,*) echo "ok: a sealed .psf shows the app's icon" ;;
  *) echo "FAIL: a sealed .psf shows the icons '$icons', not the app's first"
     failures=$((failures + 1)) ;;
esac
cp "$work/photos.psf" "$work/renamed.bin"
check application/x-photoseal "$work/renamed.bin" "a sealed file under another name"

font=""
for candidate in /usr/share/consolefonts/*.psf.gz; do
  if [ "$(gzip -dc "$candidate" | head -c 4 | od -An -tx1 | tr -d ' ')" = "72b54a86" ]; then
    font=$candidate
    break
  fi
done
if [ -z "$font" ]; then
  echo "FAIL: no PSF2 font in /usr/share/consolefonts (package console-setup-linux)"
  exit 1
fi
gzip -dc "$font" > "$work/x.psf"
check application/x-font-linux-psf "$work/x.psf" "the PSF2 font $(basename "$font" .gz) named x.psf"

echo "$failures failure(s)"
[ "$failures" = 0 ]
