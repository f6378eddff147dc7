#!/usr/bin/python3
# drip.py FILE [BYTES]: writes FILE (or its first BYTES) to standard output
# in small chunks with pauses, as a slow network would, so that a reader on
# the other end of the pipe gets short reads, the header among them.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys
import time

with open(sys.argv[1], "rb") as f:
    data = f.read()
if len(sys.argv) > 2:
    data = data[: int(sys.argv[2])]
out = sys.stdout.buffer
pos = 0
size = 7
try:
    while pos < len(data):
        out.write(data[pos : pos + size])
        out.flush()
        pos += size
        time.sleep(0.002)
        # A few bytes at a time through the header, then bigger pieces.
        size = min(size * 2, 65521) if pos > 300 else size
except BrokenPipeError:
    sys.exit(1)
