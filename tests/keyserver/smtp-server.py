#!/usr/bin/python3
# smtp-server.py: a real SMTP server (Debian's python3-aiosmtpd) for the
# key server's mail tests, on 127.0.0.1 and a free port. Messages land in a
# Maildir the tests read. It writes its port to PORT-FILE once it listens,
# and runs until killed.
#
#   smtp-server.py MAILDIR PORT-FILE [--auth USER:PASSWORD]
#                  [--starttls CERT KEY] [--reject] [--hang SECONDS]
#
# Debian's python3, not a virtualenv's: aiosmtpd comes from Debian.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import asyncio
import os
import signal
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult

parser = argparse.ArgumentParser()
parser.add_argument("maildir")
parser.add_argument("port_file")
parser.add_argument("--auth")
parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--reject", action="store_true")
parser.add_argument("--hang", type=float, default=0)
args = parser.parse_args()


class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if args.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if args.hang:
            await asyncio.sleep(args.hang)
        return await super().handle_DATA(server, session, envelope)


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = auth_data.login == user.encode() and auth_data.password == password.encode()
    return AuthResult(success=ok)


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]

options = {}
if args.auth:
    options.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
if args.starttls:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*args.starttls)
    options.update(tls_context=context, require_starttls=True)

controller = Controller(Handler(args.maildir), hostname="127.0.0.1", port=port, **options)
controller.start()
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(args.port_file + ".tmp", args.port_file)

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
# A test that aborts cannot stop its relay: it goes with its parent, or a
# test runner would wait for ever on the output it still holds open.
parent = os.getppid()
try:
    while os.getppid() == parent:
        time.sleep(0.5)
finally:
    controller.stop()
