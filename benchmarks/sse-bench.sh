#!/usr/bin/env bash
# SSE delivery latency: BENCH_VIEWERS (50) concurrent viewers of one job's live log; the job's install
# prints a line with the current time in ns every ~2 ms for ~20 s (sse-bench.py tick). Prints p50/p99/max.
#
#   benchmarks/sse-bench.sh            (--smoke: 2 viewers for 2 s, one job, no waiting for a quiet machine)
#
# Environment: CONVEYOR_JAR, BENCH_VIEWERS (50), BENCH_SSE_SECONDS (20), BENCH_REPEAT (3), BENCH_MAX_LOAD (2),
# BENCH_QUIET_WAIT (180).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
VIEWERS=${BENCH_VIEWERS:-$(sized 50 2)}
SECONDS_=${BENCH_SSE_SECONDS:-$(sized 20 2)}
REPEAT=${BENCH_REPEAT:-$(sized 3 1)}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 180 0)}
WORK=$(mktemp -d /tmp/cvybench-sse.XXXXXX)
trap 'stop_conveyor' EXIT

echo "== SSE latency benchmark: $VIEWERS viewers, a line every ~2 ms for ${SECONDS_} s, $REPEAT job(s)"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(machine_line)"
echo "work dir: $WORK"
mkdir -p "$WORK/environments"
cat > "$WORK/environments/ssebench.yml" <<YML
name: ssebench
kind: shared
stage: dev
description: live log latency benchmark
hosts:
  - name: local
    transport: local
    roles: [app]
    root: $WORK/root
components:
  app:
    install: $PY $HERE/sse-bench.py tick $SECONDS_ 0.002 3
    start: "true"
    stop: "true"
YML
start_conveyor "$WORK/data" "$WORK/environments" "$WORK/conveyor.log"
use_api_token
: > "$WORK/results.jsonl"
for round in $(seq 1 "$REPEAT"); do
    wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
    release=$($CVY release "{\"components\":{\"app\":{\"version\":\"$round\"}}}")
    l=$(load1)
    $PY "$HERE/sse-bench.py" run ssebench "$release" --viewers "$VIEWERS" > "$WORK/round-$round.txt" || true
    l2=$(load1)
    grep -v '^JSON ' "$WORK/round-$round.txt" | sed "s/^/  round $round: /; s/\$/ (load $l -> $l2)/"
    grep '^JSON ' "$WORK/round-$round.txt" | sed "s/^JSON //; s/}\$/, \"load1\": \"$l\", \"load1_after\": \"$l2\"}/" >> "$WORK/results.jsonl"
done
$PY - "$WORK/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for key in ("p50_ms", "p99_ms", "max_ms"):
    v = [r[key] for r in rows if r[key] is not None]
    print(f"== {key}: median {statistics.median(v):.1f}, min {min(v):.1f}, max {max(v):.1f}  (over {len(v)} job(s))")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
