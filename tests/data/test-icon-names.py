#!/usr/bin/env python3
# test-icon-names.py: every icon the app names exists in the installed
# Adwaita icon theme or in the app's own icons, so that no page shows the
# "missing image" placeholder. Icon themes drop names between releases
# (Adwaita 48 has no emblem-ok-symbolic), so this runs on Debian 12 and 13.
#
#   test-icon-names.py ICON-THEME-DIR APP-ID APP-SOURCE-DIR
#
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import os
import re
import sys

theme, app_id, source_dir = sys.argv[1:4]
sources = sorted(glob.glob(os.path.join(source_dir, "**", "*.ui"), recursive=True)
                 + glob.glob(os.path.join(source_dir, "*.c")))
if not os.path.isdir(theme):
    print("1..0 # SKIP no icon theme at " + theme)
    sys.exit(0)

available = set()
for _, _, files in os.walk(theme):
    for name in files:
        available.add(name.split(".")[0])
available.update({app_id, app_id + "-symbolic"})

patterns = [re.compile(r'name="icon-name">([^<]+)<'),
            re.compile(r'"([a-z][a-z0-9-]*-symbolic)"')]
wanted = {}
for path in sources:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for pattern in patterns:
        for name in pattern.findall(text):
            wanted.setdefault(name, os.path.basename(path))

missing = sorted(name for name in wanted if name not in available)
print("1..1")
if missing:
    print("not ok 1 - not in %s: %s" % (theme, ", ".join(
        "%s (%s)" % (name, wanted[name]) for name in missing)))
    sys.exit(1)
print("ok 1 - %d icon names, all present" % len(wanted))
