#!/usr/bin/env python3
"""Sample publishing worker: the background job runner of the sample stack.

Every second it
  * writes $CONVEYOR_SHARED_DIR/heartbeat.json: {"release", "version", "pid", "time"}
    ("time" is seconds since the epoch), which healthcheck.sh reads;
  * "processes" the publication jobs waiting in $CONVEYOR_SHARED_DIR/queue/:
    each *.json file is moved to done/ (or to failed/ when it is not valid JSON).
It stops cleanly on SIGTERM or SIGINT. Standard library only.
"""

import json
import os
import signal
import sys
import threading
import time

COMPONENT = "publishing"
HERE = os.path.dirname(os.path.realpath(__file__))
INTERVAL = 1.0


def read_version():
    try:
        with open(os.path.join(HERE, "VERSION"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


RELEASE = os.environ.get("CONVEYOR_RELEASE", "dev")
VERSION = os.environ.get("CONVEYOR_VERSION") or read_version()
SHARED = os.environ.get("CONVEYOR_SHARED_DIR") or os.path.join(HERE, "shared")
QUEUE = os.path.join(SHARED, "queue")
DONE = os.path.join(SHARED, "done")
FAILED = os.path.join(SHARED, "failed")
HEARTBEAT = os.path.join(SHARED, "heartbeat.json")


def write_heartbeat():
    beat = {"release": RELEASE, "version": VERSION, "pid": os.getpid(), "time": time.time()}
    tmp = HEARTBEAT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(beat, f)
        f.write("\n")
    os.replace(tmp, HEARTBEAT)


def process_queue():
    try:
        names = sorted(n for n in os.listdir(QUEUE) if n.endswith(".json"))
    except FileNotFoundError:
        os.makedirs(QUEUE, exist_ok=True)
        return
    for name in names:
        source = os.path.join(QUEUE, name)
        try:
            with open(source, encoding="utf-8") as f:
                job = json.load(f)
            target, outcome = DONE, "published"
        except FileNotFoundError:
            continue  # taken away meanwhile
        except (OSError, ValueError) as err:
            job, target, outcome = None, FAILED, "failed (%s)" % err
        os.makedirs(target, exist_ok=True)
        os.replace(source, os.path.join(target, name))
        title = job.get("title", "") if isinstance(job, dict) else ""
        print("%s: job %s %s%s" % (COMPONENT, name, outcome, (": " + title) if title else ""), flush=True)


def main():
    stopping = threading.Event()

    def on_signal(signum, _frame):
        print("%s: received signal %d, shutting down" % (COMPONENT, signum), flush=True)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for folder in (QUEUE, DONE):
        os.makedirs(folder, exist_ok=True)
    write_heartbeat()
    print("%s %s (release %s) started, queue %s" % (COMPONENT, VERSION, RELEASE, QUEUE), flush=True)
    while not stopping.is_set():
        try:
            write_heartbeat()
            process_queue()
        except OSError as err:  # keep going: the next round may succeed
            print("%s: %s" % (COMPONENT, err), file=sys.stderr, flush=True)
        stopping.wait(INTERVAL)
    print("%s %s (release %s) stopped" % (COMPONENT, VERSION, RELEASE), flush=True)


if __name__ == "__main__":
    main()
