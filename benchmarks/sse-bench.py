#!/usr/bin/python3
"""SSE delivery latency of GET /api/jobs/{id}/log with many concurrent viewers (python3 standard library only).

  sse-bench.py run ENV RELEASE [--viewers 50] [--processes 5]
      starts a deploy of RELEASE to ENV, opens the viewers (HTTP/1.1, Basic auth, Accept: text/event-stream),
      and prints p50/p99/max of (receive time - the timestamp in the line) over every line and viewer, as
      text and as one JSON line.
  sse-bench.py tick SECONDS INTERVAL [DELAY]
      the job's install command: after DELAY seconds (3), prints "tick <time.time_ns()>" every INTERVAL
      seconds for SECONDS seconds, flushing each line.

Conveyor, the ticker and the viewers run on the same machine, so both timestamps come from the same clock.
Only lines stamped after the viewer's stream opened count (earlier ones are replayed history, not delivery).
Settings from the environment: CONVEYOR_URL, CONVEYOR_USER, CONVEYOR_PASSWORD.
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request

TICK = re.compile(rb'"line":"tick (\d+)"')


def tick(seconds, interval, delay):
    time.sleep(delay)
    end = time.time() + seconds
    while time.time() < end:
        sys.stdout.write(f"tick {time.time_ns()}\n")
        sys.stdout.flush()
        time.sleep(interval)


def auth():
    user = os.environ.get("CONVEYOR_USER", "admin") + ":" + os.environ.get("CONVEYOR_PASSWORD", "")
    return "Basic " + base64.b64encode(user.encode()).decode()


def viewer(url, job, out, index):
    """One viewer: reads the stream until the end event; out[index] = (opened_ns, latencies_ns, ticks, error)."""
    u = urllib.parse.urlsplit(url)
    latencies = []
    opened = None
    ticks = 0
    try:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        conn.request("GET", f"/api/jobs/{job}/log", headers={"Accept": "text/event-stream", "Authorization": auth()})
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        opened = time.time_ns()
        # Whole chunks as they arrive (read1), split into lines here: cheaper than readline() per line, so the
        # viewers' own CPU use stays small next to Conveyor's. Every line of a chunk gets the chunk's time.
        event = None
        pending = b""
        done = False
        while not done:
            chunk = response.read1(65536)
            if not chunk:
                break
            received = time.time_ns()
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line.startswith(b"event:"):
                    event = line[6:].strip()
                elif line.startswith(b"data:") and event == b"line":
                    m = TICK.search(line)
                    if m:
                        ticks += 1
                        stamp = int(m.group(1))
                        if stamp >= opened:
                            latencies.append(received - stamp)
                elif line.startswith(b"data:") and event == b"end":
                    done = True
                    break
                elif line in (b"", b"\r"):
                    event = None
        conn.close()
        out[index] = (opened, latencies, ticks, None)
    except Exception as e:  # reported, not hidden
        out[index] = (opened, latencies, ticks, repr(e))


def process_main(url, job, count, queue):
    out = [None] * count
    threads = [threading.Thread(target=viewer, args=(url, job, out, i), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    queue.put([o if o is not None else (None, [], 0, "no result (timed out)") for o in out])


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def run(args):
    url = os.environ.get("CONVEYOR_URL", "http://127.0.0.1:8080").rstrip("/")
    request = urllib.request.Request(f"{url}/api/environments/{args.env}/deployments",
                                     data=json.dumps({"release": args.release}).encode(), method="POST",
                                     headers={"Authorization": auth(), "Content-Type": "application/json",
                                              "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        job = json.loads(response.read())["id"]
    queue = multiprocessing.Queue()
    per = [args.viewers // args.processes + (1 if i < args.viewers % args.processes else 0) for i in range(args.processes)]
    procs = [multiprocessing.Process(target=process_main, args=(url, job, n, queue)) for n in per if n > 0]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        results.extend(queue.get(timeout=900))
    for p in procs:
        p.join(30)
    latencies = sorted(l for r in results for l in r[1])
    errors = [r[3] for r in results if r[3]]
    ticks = [r[2] for r in results]
    ms = [x / 1e6 for x in latencies]
    summary = {
        "job": job, "viewers": len(results), "errors": errors[:5], "error_count": len(errors),
        "ticks_per_viewer_min": min(ticks) if ticks else 0, "ticks_per_viewer_max": max(ticks) if ticks else 0,
        "samples": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(ms[-1], 1) if ms else None,
    }
    print(f"job {job}: {summary['viewers']} viewers, {summary['error_count']} error(s), {summary['samples']} samples; "
          f"ticks per viewer {summary['ticks_per_viewer_min']}..{summary['ticks_per_viewer_max']}; "
          f"latency p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms")
    print("JSON " + json.dumps(summary))
    return 0 if not errors and ms else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("env")
    r.add_argument("release", type=int)
    r.add_argument("--viewers", type=int, default=50)
    r.add_argument("--processes", type=int, default=5)
    t = sub.add_parser("tick")
    t.add_argument("seconds", type=float)
    t.add_argument("interval", type=float)
    t.add_argument("delay", type=float, nargs="?", default=3.0)
    args = parser.parse_args()
    if args.command == "tick":
        tick(args.seconds, args.interval, args.delay)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
