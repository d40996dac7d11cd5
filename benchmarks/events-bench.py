#!/usr/bin/python3
"""Webhook fan-out benchmark (python3 standard library only).

  events-bench.py webhooks N_EVENTS N_SUBSCRIBERS PUBLISHERS [RATE [LABEL]]
      publish N events (type bench.LABEL, default tick) as service "bench", as fast as PUBLISHERS clients can
      or paced at RATE events/s, and receive them at N loopback subscribers of bench.LABEL; prints figures
  events-bench.py publish N_EVENTS PUBLISHERS                  only publish (the Kafka relay's backlog)

Settings from the environment, as lib/cvy.py: CONVEYOR_URL, CONVEYOR_USER, CONVEYOR_PASSWORD; BENCH_BATCH (1): events
per POST, more than 1 publishes through POST /api/events/batch (a paced batch is sent when its first event is due).
Latency of a delivery: the publisher's POST was sent -> the subscriber received the signed request (same clock).
Every received request's Conveyor-Signature is checked; a bad one counts as an error.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

URL = os.environ.get("CONVEYOR_URL", "http://127.0.0.1:8080").rstrip("/")
ADMIN = "Basic " + base64.b64encode(
    (os.environ.get("CONVEYOR_USER", "admin") + ":" + os.environ.get("CONVEYOR_PASSWORD", "")).encode()).decode()
# The password policy refuses a password that contains the user name ("bench").
SERVICE_PASSWORD = "publisher-secret-4071"
SECRET = "bench-webhook-secret-0123456789"
# Events per POST: 1 posts each to /api/events, more post batches to /api/events/batch.
BATCH = int(os.environ.get("BENCH_BATCH", "1"))


def call(method, path, body=None, auth=ADMIN, content_type="application/json", expect=(200, 201, 202, 204, 409)):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method,
                                     headers={"Authorization": auth, "Accept": "application/json",
                                              "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text, status = response.read().decode(), response.status
    except urllib.error.HTTPError as e:
        text, status = e.read().decode(), e.code
    if status not in expect:
        raise SystemExit(f"{method} {path}: HTTP {status}: {text}")
    return json.loads(text) if text else None


def service_auth():
    call("POST", "/api/users", {"username": "bench", "password": SERVICE_PASSWORD, "roles": ["service"]})
    basic = "Basic " + base64.b64encode(f"bench:{SERVICE_PASSWORD}".encode()).decode()
    token = call("POST", "/api/tokens", {"name": "bench-" + uuid.uuid4().hex[:8]}, auth=basic)["token"]
    return "Bearer " + token


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = {}          # (port, event id) -> receive time
    errors = [0]
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        at = time.time()
        header = dict(p.split("=", 1) for p in self.headers.get("Conveyor-Signature", "").split(",") if "=" in p)
        expected = hmac.new(SECRET.encode(), header.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, header.get("v1", ""))
        event_id = json.loads(body)["id"]
        with Receiver.lock:
            if ok:
                Receiver.received.setdefault((self.server.server_port, event_id), at)
            else:
                Receiver.errors[0] += 1
        self.send_response(200 if ok else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def publish_all(n, publishers, auth, rate=0.0, event_type="bench.tick"):
    sent = {}
    lock = threading.Lock()
    counter = iter(range(n))
    counter_lock = threading.Lock()

    def work():
        while True:
            with counter_lock:
                first = next(counter, None)
                batch = [first] + [i for i in (next(counter, None) for _ in range(BATCH - 1)) if i is not None] \
                    if first is not None and BATCH > 1 else [first]
            if first is None:
                return
            if rate > 0:
                # Paced: event i is due at start + i / rate.
                delay = start + first / rate - time.time()
                if delay > 0:
                    time.sleep(delay)
            events = [{"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/bench", "type": event_type,
                       "data": {"n": i}} for i in batch]
            t = time.time()
            if BATCH > 1:
                call("POST", "/api/events/batch", events, auth=auth, content_type="application/cloudevents-batch+json",
                     expect=(200,))
            else:
                call("POST", "/api/events", events[0], auth=auth, content_type="application/cloudevents+json",
                     expect=(201,))
            with lock:
                for event in events:
                    sent[event["id"]] = t

    threads = [threading.Thread(target=work) for _ in range(publishers)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sent, start, time.time()


def webhooks(n, subscribers, publishers, rate=0.0, label="tick"):
    auth = service_auth()
    servers = []
    for _ in range(subscribers):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        call("POST", "/api/subscriptions", {"url": f"http://127.0.0.1:{server.server_port}/hook",
                                            "types": ["bench." + label], "environments": [], "secret": SECRET})
    sent, start, published = publish_all(n, publishers, auth, rate, "bench." + label)
    expected = n * subscribers
    deadline = time.time() + float(os.environ.get("BENCH_DELIVERY_TIMEOUT", "1800"))
    while len(Receiver.received) < expected and time.time() < deadline:
        time.sleep(0.2)
    done = max(Receiver.received.values()) if Receiver.received else time.time()
    latencies = sorted((at - sent[event_id]) * 1000 for (port, event_id), at in Receiver.received.items() if event_id in sent)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    # The same without the first 10% of events: a freshly started JVM is still compiling its hot paths.
    cutoff = sorted(sent.values())[len(sent) // 10] if sent else 0
    warm = sorted((at - sent[event_id]) * 1000 for (port, event_id), at in Receiver.received.items()
                  if event_id in sent and sent[event_id] >= cutoff)
    qw = statistics.quantiles(warm, n=100) if len(warm) > 1 else [0] * 99
    result = {
        "events": n, "subscribers": subscribers, "publishers": publishers, "paced_rate": rate,
        "deliveries": len(Receiver.received), "expected": expected, "signature_errors": Receiver.errors[0],
        "publish_per_s": round(n / (published - start), 1),
        "events_fanned_out_per_s": round(n / (done - start), 1),
        "deliveries_per_s": round(len(Receiver.received) / (done - start), 1),
        "latency_p50_ms": round(q[49], 1), "latency_p99_ms": round(q[98], 1), "latency_max_ms": round(latencies[-1], 1),
        "wall_s": round(done - start, 1),
        "warm_latency_p50_ms": round(qw[49], 1), "warm_latency_p99_ms": round(qw[98], 1),
    }
    pace = f"paced at {rate}/s" if rate > 0 else "as fast as possible"
    print(f"published {n} events in {published - start:.1f} s ({result['publish_per_s']}/s, {publishers} publishers, "
          f"{BATCH} per POST, {pace})")
    print(f"delivered {result['deliveries']}/{expected} to {subscribers} subscribers in {result['wall_s']} s: "
          f"{result['events_fanned_out_per_s']} events/s to all, {result['deliveries_per_s']} deliveries/s; "
          f"latency p50 {result['latency_p50_ms']} ms, p99 {result['latency_p99_ms']} ms, max {result['latency_max_ms']} ms; "
          f"signature errors {result['signature_errors']}")
    print(f"without the first 10% of events (JVM warm-up): latency p50 {result['warm_latency_p50_ms']} ms, "
          f"p99 {result['warm_latency_p99_ms']} ms")
    print("JSON " + json.dumps(result))
    if result["deliveries"] < expected or result["signature_errors"]:
        raise SystemExit(f"FAILED: {result['deliveries']} of {expected} deliveries, "
                         f"{result['signature_errors']} signature errors")


def main(argv):
    if argv[1] == "webhooks":
        webhooks(int(argv[2]), int(argv[3]), int(argv[4]), float(argv[5]) if len(argv) > 5 else 0.0,
                 argv[6] if len(argv) > 6 else "tick")
    elif argv[1] == "publish":
        sent, start, end = publish_all(int(argv[2]), int(argv[3]), service_auth())
        print(f"published {len(sent)} events in {end - start:.1f} s ({len(sent) / (end - start):.1f}/s)")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
