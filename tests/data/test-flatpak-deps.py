#!/usr/bin/env python3
# test-flatpak-deps.py: every pkg-config library the Flatpak build links is
# either one the GNOME runtime ships (flatpak/runtime-libraries.txt) or a
# module of the manifest, so a new dependency cannot be forgotten there.
#
#   test-flatpak-deps.py MESON SOURCE-ROOT MANIFEST RUNTIME-LIST
#
# The list comes from meson's introspection of a build configured with the
# manifest's own options for the app (app and psf, no key server).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import subprocess
import sys
import tempfile

meson, source_root, manifest_path, runtime_path = sys.argv[1:5]

with open(manifest_path) as f:
    manifest = json.load(f)
app_module = manifest["modules"][-1]
modules = [m["name"] for m in manifest["modules"][:-1]]
with open(runtime_path) as f:
    runtime = {line.strip() for line in f if line.strip() and not line.startswith("#")}

with tempfile.TemporaryDirectory() as build:
    subprocess.run([meson, "setup", build, source_root, *app_module.get("config-opts", [])],
                   check=True, stdout=subprocess.DEVNULL)
    deps = json.loads(subprocess.run([meson, "introspect", "--dependencies", build],
                                     check=True, capture_output=True, text=True).stdout)


def is_pkg_config(name):
    return subprocess.run(["pkg-config", "--exists", name]).returncode == 0


def from_module(name):
    # A module builds the library of its own name and its variants
    # (the libportal module gives libportal and libportal-gtk4).
    return any(name == module or name.startswith(module + "-") for module in modules)


names = sorted(d["name"] for d in deps if is_pkg_config(d["name"]))
missing = [n for n in names if n not in runtime and not from_module(n)]
print("1..1")
for name in names:
    print("# %s: %s" % (name, "runtime" if name in runtime else "module" if from_module(name)
                        else "MISSING"))
if missing:
    print("not ok 1 - not in the runtime and no manifest module: " + ", ".join(missing))
    sys.exit(1)
print("ok 1 - %d libraries, each in the runtime or the manifest" % len(names))
