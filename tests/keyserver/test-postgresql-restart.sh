#!/bin/sh
# test-postgresql-restart.sh: a key server keeps answering when PostgreSQL
# restarts under it: its pooled connections are dead, and the first
# request on each must not fail. Run by with-postgresql.
#
#   with-postgresql test-postgresql-restart.sh PHOTOSEAL-KEYSERVER
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
keyserver=$1
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

"$keyserver" --listen 127.0.0.1:0 --data-dir "$work" \
  --database "$PHOTOSEAL_TEST_DATABASE/postgres" > "$work/out" 2> "$work/log" &
server=$!
for _ in $(seq 200); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.05; done
origin=$(sed -n 's|.*listening on \(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$work/out")
[ -n "$origin" ] || { echo "FAIL: the key server did not start"; cat "$work/log"; exit 1; }

status () { curl -s -o /dev/null -w '%{http_code}' "$origin/v1/health"; }
failures=0
if [ "$(status)" != 200 ]; then
  echo "FAIL: not healthy before the restart"
  failures=$((failures + 1))
fi
$PHOTOSEAL_TEST_PG_RESTART >/dev/null 2>&1 || { echo "FAIL: PostgreSQL did not restart"; exit 1; }
for i in 1 2 3; do
  got=$(status)
  if [ "$got" = 200 ]; then echo "ok: request $i after the restart: 200"
  else echo "FAIL: request $i after the restart: $got"; failures=$((failures + 1)); fi
done
[ "$failures" = 0 ]
