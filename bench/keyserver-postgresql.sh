#!/bin/sh
# keyserver-postgresql.sh: the two-node rows of bench/keyserver.sh. Not run
# by hand: keyserver.sh runs it inside tests/keyserver/with-postgresql,
# which provides a throwaway PostgreSQL cluster in PHOTOSEAL_TEST_DATABASE.
#
#   keyserver-postgresql.sh KEYSERVER RELEASE-BODIES WORK SECONDS BODIES THREADS CONNECTIONS
#
# Starts two photoseal-keyserver nodes on one database of that cluster,
# sharing node A's master key, with nginx in front of them as a
# round-robin load balancer, the way several nodes are deployed (see
# docs/DEPLOYMENT.md). Then runs the same wrk loads as the SQLite rows,
# through nginx, into WORK/pg2-release.wrk and WORK/pg2-create.wrk, and,
# to tell the proxy's cost from PostgreSQL's, straight at node A alone
# into WORK/pg1-release.wrk and WORK/pg1-create.wrk.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

keyserver=$1 helper=$2 work=$3 seconds=$4 bodies=$5 threads=$6 connections=$7
top=$(cd "$(dirname "$0")/.." && pwd)
pids=""
nginx_pid=""
cleanup() {
  for pid in $pids $nginx_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids $nginx_pid; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

die() {
  echo "keyserver-postgresql.sh: $*" >&2
  exit 1
}

mkdir -p "$work"
psql -q "$PHOTOSEAL_TEST_DATABASE/postgres" -c "CREATE DATABASE photoseal_bench" >/dev/null \
  || die "could not create the database"
database="$PHOTOSEAL_TEST_DATABASE/photoseal_bench"

# start_node NAME [ARG…]: starts a node and sets node_port. Not in a
# subshell, so that its pid is kept and cleanup stops it.
start_node() {
  name=$1
  shift
  : >"$work/$name.out"
  "$keyserver" --listen 127.0.0.1:0 --data-dir "$work/$name" --registration open \
    --database "$database" "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids="$pids $!"
  for _ in $(seq 200); do
    node_port=$(sed -n '1s|^photoseal-keyserver: listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' \
                  "$work/$name.out")
    [ -n "$node_port" ] && return
    sleep 0.1
  done
  cat "$work/$name.log" >&2
  die "node $name did not start"
}

start_node a
port_a=$node_port
# B must share A's master key, or it would refuse to start.
start_node b --master-key-file "$work/a/master.key"
port_b=$node_port

# nginx, the load balancer *********************************************

mkdir -p "$work/nginx/tmp"
lb_port=$port_b
for _ in $(seq 10); do
  lb_port=$((lb_port + 1))
  cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream keyservers {
    server 127.0.0.1:$port_a;
    server 127.0.0.1:$port_b;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://keyservers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  nginx -p "$work/nginx/" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" 2>/dev/null &
  nginx_pid=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$lb_port/v1/health" 2>/dev/null | grep -q ok && break 2
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
done
[ -n "$nginx_pid" ] || { cat "$work/nginx/error.log" >&2; die "nginx did not start"; }
lb="http://127.0.0.1:$lb_port"

# The same set-up as keyserver.sh's, through the load balancer ***********

api_url=$lb
. "$top/bench/keyserver-client.sh"

owner_token=$(sign_in owner)
recipient_token=$(sign_in recipient)
# One key for the releases, and the body of every key creation.
key_body="{\"ephemeral_public_key\":\"$("$helper" ephemeral-key)\","
key_body="$key_body\"recipients\":[\"recipient@example.org\"]}"
key_id=$(signed_api POST /v1/keys "$owner_token" owner "$key_body" | json_string key_id)
[ -n "$key_id" ] || die "creating a key gave no key id"
release_path="/v1/keys/$key_id/release"

# load NAME URL SCRIPT TOKEN [ARG…]: one wrk run into WORK/NAME.wrk.
load() {
  name=$1 target=$2 script=$3 token=$4
  shift 4
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
    -H "Content-Type: application/json" -H "Authorization: Bearer $token" \
    -s "$top/bench/$script" "$target" "$@" >"$work/$name.wrk" 2>&1 \
    || { cat "$work/$name.wrk" >&2; die "wrk failed"; }
  grep -q '^RESULT ' "$work/$name.wrk" || die "wrk gave no result for $name"
}

# Fresh signed bodies for each run: the nonces of one run are spent.
sign_bodies() {
  generators=""
  for thread in $(seq 0 $((threads - 1))); do
    "$helper" bodies "$work/recipient.key" "$key_id" $((bodies / threads)) \
      >"$work/bodies-$thread.txt" &
    generators="$generators $!"
  done
  for pid in $generators; do wait "$pid" || die "signing release bodies failed"; done
}

echo "Two nodes on PostgreSQL behind nginx: signed releases for ${seconds} s…" >&2
sign_bodies
load pg2-release "$lb$release_path" release.lua "$recipient_token" "$work/bodies"
echo "Two nodes on PostgreSQL behind nginx: key creations for ${seconds} s…" >&2
sign_creations
load pg2-create "$lb/v1/keys" create.lua "$owner_token" "$work/requests"

echo "One node on PostgreSQL, no proxy: signed releases for ${seconds} s…" >&2
sign_bodies
load pg1-release "http://127.0.0.1:$port_a$release_path" release.lua "$recipient_token" \
  "$work/bodies"
echo "One node on PostgreSQL, no proxy: key creations for ${seconds} s…" >&2
sign_creations
load pg1-create "http://127.0.0.1:$port_a/v1/keys" create.lua "$owner_token" "$work/requests"

# Both nodes took their share, and the audit chain is still one chain.
for node in a b; do
  grep -q '"POST /v1/keys/[^ ]*/release" 200' "$work/$node.log" \
    || die "node $node answered no release: the load balancer did not spread the load"
done
"$keyserver" --data-dir "$work/a" --database "$database" verify-audit >&2 \
  || die "the audit chain is broken after the run"
