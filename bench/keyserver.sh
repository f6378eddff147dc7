#!/bin/sh
# keyserver.sh: requests per second and p99 latency of photoseal-keyserver's
# signed releases and durable key creations, with nginx serving a 200-byte
# JSON file on the same machine as the ceiling. Not a test: it prints a
# table.
#
#   bench/keyserver.sh [BUILD-DIR]      (default: _build)
#
# Everything talks to 127.0.0.1 only and lives in one temporary folder,
# removed at the end with the key server and nginx. The key server's data
# is in $BENCH_TMPDIR (default /tmp) so that its fsyncs reach the disk, as
# they would in production; BENCH_TMPDIR=/dev/shm shows the cost without
# them. Other knobs: BENCH_SECONDS per run (10), BENCH_BODIES, the signed
# release bodies made before the release run and the signed key creations
# made before the creation run (200000 each: each can be sent once), BENCH_PERF=DIR to `perf record -g` the key server during its
# two runs into DIR, and BENCH_KEEP=1 to keep the temporary folder with
# the logs and the database.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
"$top/build-aux/install-deps" bench
ninja -C "$build" src/keyserver/photoseal-keyserver bench/release-bodies >/dev/null

keyserver="$build/src/keyserver/photoseal-keyserver"
helper="$build/bench/release-bodies"
seconds=${BENCH_SECONDS:-10}
bodies=${BENCH_BODIES:-200000}
threads=2
connections=32

umask 077
work=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/photoseal-keyserver-bench-XXXXXX")
server_pid=""
nginx_pid=""
perf_pid=""
cleanup() {
  for pid in $perf_pid $nginx_pid $server_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $perf_pid $nginx_pid $server_pid; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "Kept $work (logs, wrk output, the database)" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

die() {
  echo "keyserver.sh: $*" >&2
  exit 1
}

# The key server ****************************************************

echo "Starting photoseal-keyserver with its data in $work/data…" >&2
"$keyserver" --listen 127.0.0.1:0 --data-dir "$work/data" --registration open \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n '1s|^photoseal-keyserver: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' \
           "$work/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the key server did not start"; }
  sleep 0.1
done
[ -n "$port" ] || die "the key server did not say where it listens"
url="http://127.0.0.1:$port"

api_url=$url
. "$top/bench/keyserver-client.sh"

owner_token=$(sign_in owner)
recipient_token=$(sign_in recipient)
[ -n "$owner_token" ] && [ -n "$recipient_token" ] || die "signing in gave no token"
# One key for the releases, and the body of every key creation.
key_body="{\"ephemeral_public_key\":\"$("$helper" ephemeral-key)\","
key_body="$key_body\"recipients\":[\"recipient@example.org\"]}"
key_id=$(signed_api POST /v1/keys "$owner_token" owner "$key_body" | json_string key_id)
[ -n "$key_id" ] || die "creating a key gave no key id"
release_path="/v1/keys/$key_id/release"

# One release by hand first, so that a wrong signature stops us here.
"$helper" bodies "$work/recipient.key" "$key_id" 1 >"$work/check.json"
api POST "$release_path" "$recipient_token" "$(cat "$work/check.json")" \
  | grep -q '"sealed_server_key"' || die "the recipient could not release the key"

# load NAME URL SCRIPT [ARG…]: one wrk run, its output in $work/NAME.wrk.
# Records the key server meanwhile if BENCH_PERF is set and the run is
# the key server's.
load() {
  name=$1 target=$2 script=$3
  shift 3
  if [ -n "${BENCH_PERF:-}" ] && [ "$name" != nginx ]; then
    mkdir -p "$BENCH_PERF"
    perf record -g -o "$BENCH_PERF/$name.data" -p "$server_pid" -- sleep "$seconds" \
      >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
    -H "Content-Type: application/json" ${token:+-H "Authorization: Bearer $token"} \
    -s "$top/bench/$script" "$target" "$@" >"$work/$name.wrk" 2>&1 \
    || { cat "$work/$name.wrk" >&2; die "wrk failed"; }
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    perf_pid=""
  fi
  grep -q '^RESULT ' "$work/$name.wrk" || die "wrk gave no result for $name"
}

# result NAME: the RESULT line of a run (see bench/wrk-report.lua).
result() {
  grep '^RESULT ' "$work/$1.wrk"
}

# nginx, the ceiling *************************************************

mkdir -p "$work/nginx/www" "$work/nginx/tmp"
padding=$(printf '%172s' '' | tr ' ' x)
printf '{"status":"ok","padding":"%s"}' "$padding" >"$work/nginx/www/static.json"
# nginx's workers may run as nobody: let them reach the file, and only it.
chmod 711 "$work"
chmod 755 "$work/nginx" "$work/nginx/www"
chmod 644 "$work/nginx/www/static.json"

# Any free port will do: try the ones after the key server's.
nginx_port=$port
for _ in $(seq 10); do
  nginx_port=$((nginx_port + 1))
  cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  types { application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
  }
}
EOF
  nginx -p "$work/nginx/" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" 2>/dev/null &
  nginx_pid=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$nginx_port/static.json" 2>/dev/null | grep -q "$padding" && break 2
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
done
[ -n "$nginx_pid" ] || { cat "$work/nginx/error.log" >&2; die "nginx did not start"; }

echo "Running wrk against nginx for ${seconds} s…" >&2
token=""
load nginx "http://127.0.0.1:$nginx_port/static.json" wrk-report.lua
kill "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""

# Releases ***********************************************************

# Made right before the run, so their timestamps are fresh; one file a
# wrk thread, one generator a thread.
echo "Signing $bodies release bodies…" >&2
generators=""
for thread in $(seq 0 $((threads - 1))); do
  "$helper" bodies "$work/recipient.key" "$key_id" $((bodies / threads)) \
    >"$work/bodies-$thread.txt" &
  generators="$generators $!"
done
for pid in $generators; do wait "$pid" || die "signing release bodies failed"; done

echo "Running wrk with signed releases for ${seconds} s…" >&2
token=$recipient_token
load release "$url$release_path" release.lua "$work/bodies"

# Key creation *******************************************************

echo "Signing $bodies key creations…" >&2
sign_creations
echo "Running wrk with key creations for ${seconds} s…" >&2
token=$owner_token
load create "$url/v1/keys" create.lua "$work/requests"

kill "$server_pid"
wait "$server_pid" || die "the key server did not stop cleanly"
server_pid=""

# Two nodes on PostgreSQL ********************************************
# (A block of its own.) The same loads, same wrk settings, same run,
# against two nodes on one PostgreSQL database behind nginx as a
# round-robin load balancer (one wrk run through the balancer, not two
# runs summed), and against one of those nodes directly. The cluster is
# a throwaway one from tests/keyserver/with-postgresql, on the same file
# system as the SQLite data, fsync on. BENCH_POSTGRESQL=0 skips it.
if [ "${BENCH_POSTGRESQL:-1}" != 0 ]; then
  echo "Starting PostgreSQL, two nodes and nginx in front of them…" >&2
  TMPDIR=${BENCH_TMPDIR:-/tmp} "$top/tests/keyserver/with-postgresql" \
    "$top/bench/keyserver-postgresql.sh" "$keyserver" "$helper" "$work/postgresql" "$seconds" \
    "$bodies" "$threads" "$connections" || die "the PostgreSQL runs failed"
  for run in pg1-release pg1-create pg2-release pg2-create; do
    cp "$work/postgresql/$run.wrk" "$work/$run.wrk"
  done
fi

# Report *************************************************************

nginx_result=$(result nginx)
release_result=$(result release)
create_result=$(result create)

# row NAME "RESULT requests ok seconds p50 p99 socket-errors exhausted" NGINX-RATE
row() {
  echo "$2" | awk -v name="$1" -v ceiling="$3" '{
    rate = $3 / $4
    ratio = sprintf("%.1f %%", 100 * rate / ceiling)
    printf "| %-46s | %10.0f | %7.2f | %14s |\n", name, rate, $6, ratio
  }'
}

# statuses PATH-SUFFIX: how often the server logged each status for it.
statuses() {
  grep -o "$1\" [0-9]*" "$work/server.log" | awk '{ n[$2]++ } END { for (s in n) printf " %s×%d", s, n[s] }'
}

# answers NAME RESULT EXPECTED PATH-SUFFIX: what wrk saw, and the server.
answers() {
  echo "$2" | awk -v name="$1" -v want="$3" -v logged="$(statuses "$4")" '{
    printf "%s: %d answered within the run, %d not %s, %d socket errors; p50 %.2f ms; " \
           "server log:%s", name, $2, $2 - $3, want, $7, $5, logged
    if ($8 > 0) printf "; %d wrk thread(s) ran out of signed bodies: raise BENCH_BODIES", $8
    printf "\n" }'
}

nginx_rate=$(echo "$nginx_result" | awk '{ print $3 / $4 }')
echo
printf "| %-46s | %10s | %7s | %14s |\n" "operation" "requests/s" "p99 ms" "ratio to nginx"
printf "|%s|%s|%s|%s|\n" "------------------------------------------------" "------------" \
  "---------" "----------------"
row "nginx: GET 200-byte static JSON (ceiling)" "$nginx_result" "$nginx_rate"
row "POST /v1/keys/{id}/release (signed, 200)" "$release_result" "$nginx_rate"
row "POST /v1/keys (durable creation, 201)" "$create_result" "$nginx_rate"
if [ "${BENCH_POSTGRESQL:-1}" != 0 ]; then
  row "release, 1 node on PostgreSQL (direct)" "$(result pg1-release)" "$nginx_rate"
  row "creation, 1 node on PostgreSQL (direct)" "$(result pg1-create)" "$nginx_rate"
  row "release, 2 nodes on PostgreSQL behind nginx" "$(result pg2-release)" "$nginx_rate"
  row "creation, 2 nodes on PostgreSQL behind nginx" "$(result pg2-create)" "$nginx_rate"
fi
echo

answers Releases "$release_result" 200 /release
answers Creations "$create_result" 201 /v1/keys
if [ "${BENCH_POSTGRESQL:-1}" != 0 ]; then
  for run in pg1-release pg1-create pg2-release pg2-create; do
    result "$run" | awk -v name="$run" '{
      printf "%s: %d answered within the run, %d not 2xx, %d socket errors; p50 %.2f ms\n",
             name, $2, $2 - $3, $7, $5 }'
  done
fi
echo "(The server also logs the requests wrk cuts off when it stops, as 500s wrk never sees.)"
echo "$nginx_rate $release_result $create_result" | awk '{
  release = $4 / $5; create = $12 / $13
  met = (release >= 0.3 * $1 && $7 < 20) ? "met" : "MISSED"
  printf "Targets: releases >= 30 %% of nginx with p99 < 20 ms: %s (%.1f %%, %.2f ms); ",
         met, 100 * release / $1, $7
  met = (create >= 500) ? "met" : "MISSED"
  printf "key creation >= 500/s durable: %s (%.0f/s)\n", met, create }'
echo
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
  "Linux $(uname -r); key server data on $(df -T "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }');" \
  "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1 | sed 's/.*: //');" \
  "$threads wrk threads, $connections connections, ${seconds} s a run"
echo "Command: $(env | grep '^BENCH_' | tr '\n' ' ')bench/keyserver.sh${1:+ $1}"
