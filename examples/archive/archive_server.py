#!/usr/bin/env python3
"""Sample archive service: serves book content as JSON, like cnx-archive.

Endpoints:
  GET /health                 -> {"status": "ok", "component": "archive", ...}
  GET /extras                 -> list of the books this archive holds
  GET /contents/<id>.json     -> one book; <id> is "<uuid>" or "<uuid>@<version>"
Anything else answers 404 with a JSON body.

Configuration comes from the environment set by Conveyor's deploy engine:
PORT, CONVEYOR_RELEASE, CONVEYOR_VERSION.
Standard library only.
"""

import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMPONENT = "archive"
HERE = os.path.dirname(os.path.realpath(__file__))


def read_version():
    try:
        with open(os.path.join(HERE, "VERSION"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


RELEASE = os.environ.get("CONVEYOR_RELEASE", "dev")
VERSION = os.environ.get("CONVEYOR_VERSION") or read_version()
CONTENTS_PATH = re.compile(r"^/contents/([0-9a-fA-F-]{36})(?:@([0-9.]+))?\.json$")


def load_books():
    with open(os.path.join(HERE, "books.json"), encoding="utf-8") as f:
        return {book["id"]: book for book in json.load(f)["books"]}


BOOKS = load_books()


class Handler(BaseHTTPRequestHandler):
    server_version = "archive/" + VERSION
    protocol_version = "HTTP/1.1"

    def send_json(self, status, payload, head_only=False):
        body = (json.dumps(payload, indent=2) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def route(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            return 200, {
                "status": "ok",
                "component": COMPONENT,
                "release": RELEASE,
                "version": VERSION,
            }
        if path in ("/extras", "/extras/"):
            return 200, {
                "release": RELEASE,
                "version": VERSION,
                "books": [
                    {"id": b["id"], "version": b["version"], "title": b["title"]}
                    for b in sorted(BOOKS.values(), key=lambda b: b["title"])
                ],
            }
        match = CONTENTS_PATH.match(path)
        if match:
            book = BOOKS.get(match.group(1).lower())
            if book and match.group(2) in (None, book["version"]):
                return 200, dict(book, release=RELEASE, archive_version=VERSION)
            return 404, {"error": "not found", "message": "no such book: " + path}
        return 404, {"error": "not found", "path": path}

    def do_GET(self):
        status, payload = self.route()
        self.send_json(status, payload)

    def do_HEAD(self):
        status, payload = self.route()
        self.send_json(status, payload, head_only=True)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))


class Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    port = int(os.environ.get("PORT", "18081"))
    server = Server(("127.0.0.1", port), Handler)

    def on_signal(signum, _frame):
        print("%s: received signal %d, shutting down" % (COMPONENT, signum), flush=True)
        # shutdown() waits for serve_forever() to return, so call it from another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("%s %s (release %s) listening on 127.0.0.1:%d" % (COMPONENT, VERSION, RELEASE, port), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    print("%s %s (release %s) stopped" % (COMPONENT, VERSION, RELEASE), flush=True)


if __name__ == "__main__":
    main()
