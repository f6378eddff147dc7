#!/usr/bin/env python3
# test-flatpak-deps.py: every pkg-config library the Flatpak build links is
# either one the GNOME runtime ships (flatpak/runtime-libraries.txt) or a
# module of the manifest, so a new dependency cannot be forgotten there;
# and no module rebuilds a library the runtime ships, so that libcrypto (and
# the rest) keep coming from the runtime, with its security updates.
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
# A line is a pkg-config name, then the names a module building it would
# have (the project it comes from), if they differ.
runtime = set()
runtime_projects = {}
with open(runtime_path) as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            name, *projects = line.split()
            runtime.add(name)
            for project in [name, *projects]:
                runtime_projects[project.lower()] = name

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
bundled = ["%s (%s)" % (m, runtime_projects[m.lower()]) for m in modules
           if m.lower() in runtime_projects]
print("1..2")
for name in names:
    print("# %s: %s" % (name, "runtime" if name in runtime else "module" if from_module(name)
                        else "MISSING"))
if missing:
    print("not ok 1 - not in the runtime and no manifest module: " + ", ".join(missing))
else:
    print("ok 1 - %d libraries, each in the runtime or the manifest" % len(names))
if bundled:
    print("not ok 2 - modules that rebuild a library of the runtime: " + ", ".join(bundled))
else:
    print("ok 2 - no module rebuilds a library of the runtime (%d modules)" % len(modules))
sys.exit(1 if missing or bundled else 0)
