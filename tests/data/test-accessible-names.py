#!/usr/bin/env python3
# test-accessible-names.py: every control in the app's GtkBuilder files has
# a name a screen reader can say: its own label, a title of the row it
# activates, or an accessibility label.
#
#   test-accessible-names.py GRESOURCE-XML
#
# The GtkBuilder files are every .ui the app's GResource bundles, as
# glib-compile-resources itself resolves them, so that no page is left out.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

# Widgets a person operates, and the properties that name them.
CONTROLS = {"GtkButton", "GtkMenuButton", "GtkToggleButton", "GtkSwitch", "GtkCheckButton",
            "GtkEntry", "GtkPasswordEntry", "GtkProgressBar", "GtkFlowBox", "GtkListBox",
            "GtkScale", "GtkSpinButton", "GtkDropDown"}
NAMING = {"label", "title"}


def names(obj):
    props = {p.get("name") for p in obj.findall("property")}
    if props & NAMING:
        return True
    for child in obj.findall("property"):
        if child.get("name") == "child":
            for inner in child.iter("object"):
                if inner.get("class") == "AdwButtonContent":
                    return True
    accessibility = obj.find("accessibility")
    return accessibility is not None and any(
        p.get("name") in ("label", "labelled-by") for p in accessibility)


def ui_files(gresource_xml):
    listed = subprocess.run(
        ["glib-compile-resources", "--generate-dependencies",
         "--sourcedir", os.path.dirname(gresource_xml), gresource_xml],
        check=True, capture_output=True, text=True).stdout.split("\n")
    return sorted(path for path in listed if path.endswith(".ui"))


if len(sys.argv) != 2:
    sys.exit(f"usage: {sys.argv[0]} GRESOURCE-XML")
files = ui_files(sys.argv[1])
if not files:
    sys.exit(f"FAIL: {sys.argv[1]} bundles no .ui file")
failures = 0
checked = 0
for path in files:
    root = ET.parse(path).getroot()
    for obj in root.iter("object"):
        if obj.get("class") not in CONTROLS:
            continue
        checked += 1
        if not names(obj):
            print(f"FAIL: {path}: {obj.get('class')} id={obj.get('id')} has no accessible name")
            failures += 1
print(f"{checked} control(s) in {len(files)} .ui file(s) checked, "
      f"{failures} without an accessible name")
sys.exit(1 if failures else 0)
