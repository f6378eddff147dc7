#!/bin/sh
# test-potfiles.sh: every source file with a translatable string is listed
# in po/POTFILES.in, and every file listed there exists.
#
#   test-potfiles.sh SOURCE-ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1" || exit 1

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
marked=$( (grep -rlE '(^|[^A-Za-z0-9_])(N_|C_|NC_|_)\(' src --include='*.c';
           grep -rl 'translatable="yes"' src data --include='*.ui' --include='*.xml' \
             --include='*.in.in'; ls data/*.desktop.in.in) | sort -u)

failures=0
for file in $marked; do
  if ! echo "$listed" | grep -qx "$file"; then
    echo "FAIL: $file has translatable strings but is not in po/POTFILES.in"
    failures=$((failures + 1))
  fi
done
for file in $listed; do
  if [ ! -f "$file" ]; then
    echo "FAIL: po/POTFILES.in lists $file, which does not exist"
    failures=$((failures + 1))
  fi
done
echo "$(echo "$marked" | wc -l) file(s) with translatable strings, $failures problem(s)"
[ "$failures" = 0 ]
