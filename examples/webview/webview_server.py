#!/usr/bin/env python3
"""Sample webview site: the front end of the sample stack, like cnx's webview.

Endpoints:
  GET /, /index.html  -> the page built by install.sh (index.html), with the books
                         list and archive status rendered in on each request
  GET /app.js         -> the script that refreshes the books list in the browser
  GET /health         -> {"status": "ok", "component": "webview", ...}
  GET /archive/...    -> proxied to http://127.0.0.1:$ARCHIVE_PORT/...
When the archive is down the page still renders and says so; the proxy answers 502.

Configuration comes from the environment set by Conveyor's deploy engine:
PORT, ARCHIVE_PORT, CONVEYOR_RELEASE, CONVEYOR_VERSION. Standard library only.
"""

import html
import http.client
import json
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMPONENT = "webview"
HERE = os.path.dirname(os.path.realpath(__file__))


def read_version():
    try:
        with open(os.path.join(HERE, "VERSION"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


RELEASE = os.environ.get("CONVEYOR_RELEASE", "dev")
VERSION = os.environ.get("CONVEYOR_VERSION") or read_version()
ARCHIVE_URL = "http://127.0.0.1:%d" % int(os.environ.get("ARCHIVE_PORT", "18081"))
ARCHIVE_TIMEOUT = 3.0


def fetch_archive(path):
    """GET path from the archive; returns (status, content_type, body bytes)."""
    try:
        with urllib.request.urlopen(ARCHIVE_URL + path, timeout=ARCHIVE_TIMEOUT) as resp:
            return resp.status, resp.headers.get("Content-Type", "application/json"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", "application/json"), err.read()


def render_page(template):
    """Fills the per-request markers of index.html."""
    try:
        status, _, body = fetch_archive("/extras")
        if status != 200:
            raise ValueError("archive answered %d" % status)
        extras = json.loads(body)
        items = "".join(
            '<li><a href="archive/contents/%s@%s.json">%s</a> (version %s)</li>'
            % (html.escape(b["id"]), html.escape(b["version"]), html.escape(b["title"]),
               html.escape(b["version"]))
            for b in extras["books"]
        )
        archive_version = html.escape(str(extras.get("version", "?")))
        archive_status = '<span class="up">up, release %s</span>' % html.escape(str(extras.get("release")))
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException) as err:
        sys.stderr.write("webview: archive unavailable: %s\n" % err)
        items = '<li class="down">The archive is unavailable right now; books will be back shortly.</li>'
        archive_version = "?"
        archive_status = '<span class="down">unavailable</span>'
    return (template.replace("<!--books-->", items)
            .replace("<!--archive-version-->", archive_version)
            .replace("<!--archive-status-->", archive_status))


class Handler(BaseHTTPRequestHandler):
    server_version = "webview/" + VERSION
    protocol_version = "HTTP/1.1"

    def send_body(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, payload):
        self.send_body(status, "application/json; charset=utf-8",
                       (json.dumps(payload, indent=2) + "\n").encode("utf-8"))

    def read_file(self, name):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            return f.read()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.send_json(200, {"status": "ok", "component": COMPONENT,
                                 "release": RELEASE, "version": VERSION})
        elif path in ("/", "/index.html"):
            try:
                template = self.read_file("index.html")
            except OSError:
                self.send_json(500, {"error": "index.html missing: run install.sh"})
                return
            self.send_body(200, "text/html; charset=utf-8", render_page(template).encode("utf-8"))
        elif path == "/app.js":
            self.send_body(200, "text/javascript; charset=utf-8", self.read_file("app.js").encode("utf-8"))
        elif path == "/archive" or path.startswith("/archive/"):
            target = self.path[len("/archive"):] or "/"
            try:
                status, content_type, body = fetch_archive(target)
            except (OSError, ValueError, http.client.HTTPException) as err:
                self.send_json(502, {"error": "archive unavailable", "detail": str(err)})
                return
            self.send_body(status, content_type, body)
        else:
            self.send_json(404, {"error": "not found", "path": path})

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))


class Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    port = int(os.environ.get("PORT", "18080"))
    server = Server(("127.0.0.1", port), Handler)

    def on_signal(signum, _frame):
        print("%s: received signal %d, shutting down" % (COMPONENT, signum), flush=True)
        # shutdown() waits for serve_forever() to return, so call it from another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("%s %s (release %s) listening on 127.0.0.1:%d" % (COMPONENT, VERSION, RELEASE, port), flush=True)
    print("%s: archive expected at %s" % (COMPONENT, ARCHIVE_URL), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    print("%s %s (release %s) stopped" % (COMPONENT, VERSION, RELEASE), flush=True)


if __name__ == "__main__":
    main()
