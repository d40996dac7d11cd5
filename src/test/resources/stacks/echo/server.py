"""A tiny service for deploy tests: answers /health with the release it belongs to, on a port it picks itself."""
import http.server
import json
import os
import signal
import sys

RELEASE = os.environ["CONVEYOR_RELEASE"]
SHARED = os.environ["CONVEYOR_SHARED_DIR"]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"release": RELEASE, "host": os.environ.get("CONVEYOR_HOST", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(os.path.join(SHARED, "port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.replace(os.path.join(SHARED, "port.tmp"), os.path.join(SHARED, "port"))
server.serve_forever()
