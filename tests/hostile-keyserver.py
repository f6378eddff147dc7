#!/usr/bin/env python3
# hostile-keyserver.py: a key server that answers every request badly.
#
# Listens on 127.0.0.1, one port per kind of bad answer, prints
# "MODE PORT" for each and then "ready", and serves until killed:
#
#   deep          200, JSON nested 200,000 levels ("[[[…]]]", 400 KB)
#   deep-error    401, the same nesting in the error body
#   huge          200, an endless JSON string, no Content-Length
#   huge-declared 200, "Content-Length: 10000000000", then a trickle
#   slow          200, a short answer sent one byte a second
#   silent        reads the request and never answers
#   wrong         200, JSON of the wrong shape and types
#   html          200, an HTML page
#   redirect      302 to the "good" port (and, for GET, to plain http)
#   markup        500, an error whose message is broken Pango markup and a link
#   good          200, {"keys": []}: what the redirect leads to
#
# A fixture for the client side (tests/integration/test-hostile-keyserver.c)
# and for any later feature: nothing here is Photoseal-specific beyond the
# shape of the answers.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import socketserver
import sys
import threading
import time

DEPTH = 200_000


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    mode = None
    good_port = None

    def log_message(self, format, *args):
        pass

    def drain(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))

    def send(self, status, body, content_type='application/json', length=True):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        if length:
            self.send_header('Content-Length', str(len(body)))
        else:
            self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def answer(self):
        self.drain()
        mode = self.mode
        try:
            if mode == 'deep':
                self.send(200, b'[' * DEPTH + b']' * DEPTH)
            elif mode == 'deep-error':
                self.send(401, b'{"error":' + b'[' * DEPTH + b']' * DEPTH + b'}')
            elif mode == 'huge':
                self.send(200, b'{"keys":["', length=False)
                chunk = b'a' * 65536
                while True:
                    self.wfile.write(chunk)
            elif mode == 'huge-declared':
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', '10000000000')
                self.end_headers()
                while True:
                    self.wfile.write(b' ')
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == 'slow':
                body = b'{"keys":[]}' + b' ' * 1000
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == 'silent':
                time.sleep(3600)
            elif mode == 'wrong':
                self.send(200, b'{"keys":"nope","key_id":7,"sealed_server_key":5,'
                               b'"account":[],"token":false}')
            elif mode == 'html':
                self.send(200, b'<html><body>It works!</body></html>', 'text/html')
            elif mode == 'markup':
                self.send(500, b'{"error":{"code":"internal","message":'
                               b'"<i>unclosed & <a href=\\"https://evil.example\\">odd</a>"}}')
            elif mode == 'redirect':
                self.send_response(302)
                self.send_header('Location',
                                 'http://127.0.0.1:%d%s' % (self.good_port, self.path))
                self.send_header('Content-Length', '0')
                self.end_headers()
            else:
                self.send(200, b'{"keys":[]}')
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PATCH = do_DELETE = answer


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    modes = ['good', 'deep', 'deep-error', 'huge', 'huge-declared', 'slow', 'silent', 'wrong',
             'html', 'redirect', 'markup']
    servers = {}
    for mode in modes:
        handler = type('Handler_' + mode.replace('-', '_'), (Handler,), {'mode': mode})
        servers[mode] = Server(('127.0.0.1', 0), handler)
    Handler.good_port = servers['good'].server_address[1]
    for mode, server in servers.items():
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(mode, server.server_address[1])
    print('ready', flush=True)
    sys.stdin.read()


if __name__ == '__main__':
    main()
