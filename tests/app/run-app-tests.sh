#!/bin/sh
# run-app-tests.sh: runs the app tests in a private X server (Xvfb), a
# private D-Bus session and an unlocked gnome-keyring, with their own home.
#
#   run-app-tests.sh TEST-PROGRAM [ARGS…]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

for tool in Xvfb xdotool dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "Bail out! $tool is not installed"; exit 1; }
done

work=$(mktemp -d)
xvfb=""
cleanup() {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display and writes its number to the file descriptor.
exec 3> "$work/display"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
xvfb=$!
exec 3>&-
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  sleep 0.05
done
[ -s "$work/display" ] || { echo "Bail out! Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }

export DISPLAY=":$(cat "$work/display")"
export GDK_BACKEND=x11
export HOME="$work/home"
export XDG_CONFIG_HOME="$work/home/config"
export XDG_DATA_HOME="$work/home/data"
export XDG_CACHE_HOME="$work/home/cache"
export XDG_RUNTIME_DIR="$work/runtime"
export NO_AT_BRIDGE=1
export GTK_A11Y=none
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"

dbus-run-session -- "$(cd "$(dirname "$0")/.." && pwd)/with-keyring" "$@"
