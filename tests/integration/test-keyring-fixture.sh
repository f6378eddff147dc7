#!/bin/sh
# test-keyring-fixture.sh: with-keyring, the fixture of the integration and
# app tests, gives a usable unlocked keyring every time, also when many
# sessions start at once on a busy machine (as when suites run side by
# side). Its old readiness probe started a second, locked daemon in about
# one session in five here, and cli-online failed with "Cannot create an
# item in a locked collection".
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

with_keyring=$(cd "$(dirname "$0")/.." && pwd)/with-keyring
sessions=${SESSIONS:-16}
work=$(mktemp -d)
cleanup() {
  for file in "$work"/*/bus-pid; do [ -f "$file" ] && kill "$(cat "$file")" 2>/dev/null; done
  for pid in $(pgrep -f gnome-keyring-daemon 2>/dev/null); do
    grep -qa "XDG_CACHE_HOME=$work/" "/proc/$pid/environ" 2>/dev/null && kill "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

one_session() {
  home="$work/$1"
  mkdir -p "$home"
  export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache"
  dbus-daemon --session --fork --print-address=3 --print-pid=4 3> "$home/bus" 4> "$home/bus-pid"
  export DBUS_SESSION_BUS_ADDRESS="$(cat "$home/bus")"
  if ! "$with_keyring" sh -c 'printf secret | secret-tool store --label test test "$1"' \
      sh "$1" > "$home/out" 2>&1; then
    echo "FAIL: session $1: $(cat "$home/out")"
    for pid in $(pgrep -f gnome-keyring-daemon 2>/dev/null); do
      grep -qa "XDG_CACHE_HOME=$home/cache" "/proc/$pid/environ" 2>/dev/null \
        && echo "  its daemon $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
    done
    return 1
  fi
  echo "ok: session $1"
}

for i in $(seq "$sessions"); do one_session "$i" > "$work/result-$i" 2>&1 & done
wait
cat "$work"/result-*
failures=$(cat "$work"/result-* | grep -c '^FAIL')
echo "$failures of $sessions sessions failed"
[ "$failures" = 0 ]
