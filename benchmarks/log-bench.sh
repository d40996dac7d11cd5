#!/usr/bin/env bash
# Log ingest: one job whose install prints BENCH_LOG_LINES (1,000,000) lines; how many lines per second
# Conveyor stores (logLines / (finishedAt - startedAt) of GET /api/jobs/{id}), and the client wall time.
#
#   benchmarks/log-bench.sh            (--smoke: 1,000 lines, one job, no waiting for a quiet machine)
#
# Environment: CONVEYOR_JAR, BENCH_LOG_LINES (1000000), BENCH_REPEAT (3), BENCH_MAX_LOAD (2), BENCH_QUIET_WAIT (180).
# The environment has one local-transport host, so the figure is Conveyor's own pipeline (output pump,
# masking, batching, PostgreSQL inserts), without SSH.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
LINES=${BENCH_LOG_LINES:-$(sized 1000000 1000)}
REPEAT=${BENCH_REPEAT:-$(sized 3 1)}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 180 0)}
WORK=$(mktemp -d /tmp/cvybench-log.XXXXXX)
trap 'stop_conveyor' EXIT
PRODUCER="seq -f 'line %.0f of the log ingest benchmark: the quick brown fox jumps over the lazy dog' 1 $LINES"

echo "== log ingest benchmark: $LINES lines per job, $REPEAT job(s)"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(machine_line)"
echo "work dir: $WORK"
mkdir -p "$WORK/environments"
cat > "$WORK/environments/logbench.yml" <<YML
name: logbench
kind: shared
stage: dev
description: log ingest benchmark
hosts:
  - name: local
    transport: local
    roles: [app]
    root: $WORK/root
components:
  app:
    install: "$PRODUCER"
    start: "true"
    stop: "true"
YML
t0=$(now); sh -c "$PRODUCER" > /dev/null; t1=$(now)
echo "the producer alone (output to /dev/null): $(elapsed "$t0" "$t1") s"
start_conveyor "$WORK/data" "$WORK/environments" "$WORK/conveyor.log"
use_api_token
printf 'round\tlogLines\tserver_s\tclient_s\tlines_per_s\tload1\n' > "$WORK/results.tsv"
for round in $(seq 1 "$REPEAT"); do
    wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
    release=$($CVY release "{\"components\":{\"app\":{\"version\":\"$round\"}}}")
    l=$(load1)
    out=$($CVY deploy logbench "$release" 0.1) || { echo "$out"; exit 1; }
    $PY - "$round" "$l" "$LINES" "$out" >> "$WORK/results.tsv" <<'PY'
import json, sys
round_, load, expected, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
rate = out["logLines"] / out["server_s"]
ok = "" if out["logLines"] >= expected else f"  ONLY {out['logLines']} LINES STORED"
print(f"{round_}\t{out['logLines']}\t{out['server_s']}\t{out['client_s']}\t{rate:.0f}\t{load}")
print(f"  job {out['job']}: {out['logLines']} lines in {out['server_s']} s (client {out['client_s']} s): {rate:,.0f} lines/s  (load {load}){ok}", file=sys.stderr)
if ok:
    sys.exit(1)
PY
done
$PY - "$WORK/results.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rates = [float(r["lines_per_s"]) for r in rows]
client = [float(r["client_s"]) for r in rows]
print("== lines/s persisted (logLines / (finishedAt - startedAt)):"
      f" median {statistics.median(rates):,.0f}, min {min(rates):,.0f}, max {max(rates):,.0f};"
      f" client wall s: median {statistics.median(client):.2f}, min {min(client):.2f}, max {max(client):.2f};"
      f" logLines: {', '.join(r['logLines'] for r in rows)}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
