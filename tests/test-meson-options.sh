#!/bin/sh
# test-meson-options.sh SOURCE-ROOT: -Dage_testkit is resolved against the
# source folder when meson configures, and a folder that is not there
# stops the configuration with a message naming the option. (Resolved at
# test time instead, a relative path pointed into the build folder and
# the conformance suite aborted.)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
source_root=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
lib_only="-Dapp=false -Dkeyserver=false -Dcli=false -Dpostgresql=disabled"

# Any folder of the source tree stands in for the test kit here.
# shellcheck disable=SC2086
if meson setup "$work/relative" "$source_root" $lib_only -Dage_testkit=tests/fuzz/corpus \
    > "$work/relative.log" 2>&1; then
  env=$(python3 -c '
import json, sys
for test in json.load(open(sys.argv[1])):
    if test["name"] == "conformance":
        print(test["env"].get("PHOTOSEAL_AGE_TESTKIT", ""))' \
    "$work/relative/meson-info/intro-tests.json")
  if [ "$env" = "$source_root/tests/fuzz/corpus" ]; then
    echo "ok: a relative test kit path is resolved against the source folder"
  else
    fail "conformance gets PHOTOSEAL_AGE_TESTKIT='$env'"
  fi
else
  fail "meson setup with an existing relative test kit failed"; cat "$work/relative.log"
fi

# shellcheck disable=SC2086
if meson setup "$work/missing" "$source_root" $lib_only -Dage_testkit=no/such/testdata \
    > "$work/missing.log" 2>&1; then
  fail "meson setup accepted a test kit folder that does not exist"
elif grep -q 'age_testkit=no/such/testdata: there is no folder' "$work/missing.log"; then
  echo "ok: a missing test kit folder stops meson setup, naming the option"
else
  fail "meson setup failed without naming the test kit"; tail -5 "$work/missing.log"
fi

[ "$failures" = 0 ]
