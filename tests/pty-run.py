#!/usr/bin/python3
# pty-run.py COMMAND…: runs COMMAND with a terminal (a pseudo-terminal) as
# its standard input, output and error; prints what it wrote (on standard
# error, as most of what psf writes to a terminal is errors) and exits
# with its exit code.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
output = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    output += chunk
_, status = os.waitpid(pid, 0)
sys.stderr.write(output.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
