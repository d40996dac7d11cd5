#!/usr/bin/python3
"""Small Conveyor API client for the benchmark scripts (python3 standard library only).

Settings from the environment: CONVEYOR_URL (http://127.0.0.1:8080), CONVEYOR_USER (admin), CONVEYOR_PASSWORD, or
CONVEYOR_TOKEN (an API token, sent as Bearer instead of the password: what a CI client sends; a password costs the
server a bcrypt check per request, which a job polled every 50 ms would pay on the benchmark's own cores).

  cvy.py ready TIMEOUT_S                 wait for /q/health/ready
  cvy.py secret NAME FILE                PUT /api/secrets/NAME with the file's text
  cvy.py release JSON                    POST /api/releases, print the id
  cvy.py deploy ENV RELEASE [POLL_S]     start a deploy, wait for it to end (GET /api/jobs/ID?wait=300, answered at
                                         the job's end; with POLL_S, polling GET /api/jobs/ID that often instead),
                                         print one JSON line of timings
  cvy.py rollback ENV [POLL_S]           the same for POST /api/environments/ENV/rollback
  cvy.py job ID                          print GET /api/jobs/ID
  cvy.py port                            print a free TCP port on 127.0.0.1
  cvy.py token                           create an API token for CONVEYOR_USER (with the password), print it

The JSON line of deploy/rollback: job, status, client_s (POST sent -> finished status seen, the figure
reported), server_s (job startedAt -> finishedAt), queued_s (createdAt -> startedAt), logLines, steps.
"""
import base64
import datetime
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

URL = os.environ.get("CONVEYOR_URL", "http://127.0.0.1:8080").rstrip("/")
AUTH = ("Bearer " + os.environ["CONVEYOR_TOKEN"]) if os.environ.get("CONVEYOR_TOKEN") else "Basic " + base64.b64encode(
    (os.environ.get("CONVEYOR_USER", "admin") + ":" + os.environ.get("CONVEYOR_PASSWORD", "")).encode()).decode()
FINISHED = {"succeeded", "failed", "rolled_back", "cancelled", "degraded"}


def call(method, path, body=None, expect=(200, 201, 202, 204), timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method,
                                     headers={"Authorization": AUTH, "Accept": "application/json",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        status = e.code
    if status not in expect:
        raise SystemExit(f"{method} {path}: HTTP {status}: {text}")
    return json.loads(text) if text else None


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run_job(path, body, poll):
    sent = time.monotonic()
    job = call("POST", path, body if body is not None else {})
    job_id = job["id"]
    deadline = sent + 900
    while True:
        # Without POLL_S, one request waits for the job's end (GET ?wait=); with it, a poll that often.
        detail = call("GET", f"/api/jobs/{job_id}" + ("" if poll else "?wait=300"), timeout=330)
        if detail["job"]["status"] in FINISHED:
            seen = time.monotonic()
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"job {job_id} did not finish within 900 s")
        time.sleep(poll)
    j = detail["job"]
    result = {
        "job": job_id, "status": j["status"], "error": j.get("error"),
        "client_s": round(seen - sent, 3),
        "server_s": round(instant(j["finishedAt"]) - instant(j["startedAt"]), 3),
        "queued_s": round(instant(j["startedAt"]) - instant(j["createdAt"]), 3),
        "logLines": j["logLines"], "steps": len(detail.get("steps", [])),
    }
    print(json.dumps(result))
    return result


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "ready":
        deadline = time.monotonic() + float(argv[2])
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(URL + "/q/health/ready", timeout=2) as response:
                    if response.status == 200:
                        return 0
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)  # fine-grained: the start-up benchmark times this wait
        raise SystemExit(f"Conveyor at {URL} not ready after {argv[2]} s")
    if command == "secret":
        with open(argv[3]) as f:
            call("PUT", f"/api/secrets/{argv[2]}", {"value": f.read()})
        return 0
    if command == "release":
        print(call("POST", "/api/releases", json.loads(argv[2]))["id"])
        return 0
    if command == "deploy":
        poll = float(argv[4]) if len(argv) > 4 else 0
        r = run_job(f"/api/environments/{argv[2]}/deployments", {"release": int(argv[3])}, poll)
        return 0 if r["status"] == "succeeded" else 1
    if command == "rollback":
        poll = float(argv[3]) if len(argv) > 3 else 0
        r = run_job(f"/api/environments/{argv[2]}/rollback", None, poll)
        return 0 if r["status"] == "succeeded" else 1
    if command == "job":
        print(json.dumps(call("GET", f"/api/jobs/{argv[2]}")))
        return 0
    if command == "token":
        name = "bench-" + os.urandom(4).hex()
        print(call("POST", "/api/tokens", {"name": name})["token"])
        return 0
    if command == "port":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            print(s.getsockname()[1])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
