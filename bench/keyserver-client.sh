# keyserver-client.sh: the key server calls of bench/keyserver.sh and
# bench/keyserver-postgresql.sh, which source it after setting api_url (the
# server's http://HOST:PORT), work, helper (release-bodies), threads,
# bodies and die; sign_creations also needs key_body.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# api METHOD PATH TOKEN BODY: prints the answer's body; fails unless 2xx.
api() {
  curl -sS --fail-with-body -X "$1" -H "Content-Type: application/json" \
    ${3:+-H "Authorization: Bearer $3"} --data "$4" "$api_url$2" \
    || die "$1 $2 was refused"
}

# signed_api METHOD PATH TOKEN NAME BODY: api, with the request signed by
# NAME's device key (docs/API.md, "Request signatures").
signed_api() {
  set -- "$@" $("$helper" requests "$work/$4.key" "$1" "$2" "$5" 1)
  curl -sS --fail-with-body -X "$1" -H "Content-Type: application/json" \
    -H "Authorization: Bearer $3" -H "Photoseal-Timestamp: $6" -H "Photoseal-Nonce: $7" \
    -H "Photoseal-Signature: $8" --data "$5" "$api_url$2" || die "$1 $2 was refused"
}

# sign_creations: signed key creations for the next run, one file a wrk
# thread ($work/requests-N.txt), each to be sent once, made right before
# the run so that their timestamps are fresh.
sign_creations() {
  generators=""
  for thread in $(seq 0 $((threads - 1))); do
    "$helper" requests "$work/owner.key" POST /v1/keys "$key_body" $((bodies / threads)) \
      >"$work/requests-$thread.txt" &
    generators="$generators $!"
  done
  for pid in $generators; do wait "$pid" || die "signing key creations failed"; done
}

# json_string FIELD: the value of a string field of the JSON on stdin.
json_string() {
  sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

# sign_in NAME: makes NAME@example.org, signs in with a new device key in
# $work/NAME.key and prints the session token.
sign_in() {
  account="{\"email\":\"$1@example.org\",\"password\":\"benchmark password\""
  api POST /v1/accounts "" "$account,\"name\":\"$1\"}" >/dev/null
  public=$("$helper" device-key "$work/$1.key")
  api POST /v1/sessions "" "$account,\"device\":{\"name\":\"bench\",\"public_key\":\"$public\"}}" \
    | json_string token
}
