#!/usr/bin/env bash
# Start-up: seconds from the start command to /q/health/ready answering 200, on a fresh data directory (embedded
# PostgreSQL initdb, schema, first admin) and on a restart of the same data directory; and the resident memory
# (VmRSS) of the idle JVM after BENCH_IDLE_S seconds. The embedded PostgreSQL's own processes are not counted. Also
# the CPU seconds (user + system) the JVM spent until it was ready: on a shared, loaded machine the wall-clock figures
# mostly measure the load, the CPU seconds much less so (the JVM's own: initdb and PostgreSQL are not counted).
# Each round measures both ways of starting, one after the other: the README's `bin/conveyor-server` (an AppCDS
# archive, made first by one training start and stop, and its compiler thresholds) and a plain `java -jar`.
#
#   benchmarks/startup-bench.sh           (--smoke: one round, 1 s idle, no waiting for a quiet machine)
#
# Environment: CONVEYOR_JAR, BENCH_REPEAT (3), BENCH_IDLE_S (10), BENCH_MAX_LOAD (2), BENCH_QUIET_WAIT (180),
# CONVEYOR_JAVA_OPTS (JVM options of every start, e.g. -XX:TieredStopAtLevel=1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
REPEAT=${BENCH_REPEAT:-$(sized 3 1)}
IDLE_S=${BENCH_IDLE_S:-$(sized 10 1)}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 180 0)}
WORK=$(mktemp -d /tmp/cvybench-startup.XXXXXX)
trap 'stop_conveyor' EXIT
SERVER="$REPO/bin/conveyor-server"
export CONVEYOR_CDS_DIR="$WORK/cds"

echo "== start-up benchmark: $REPEAT round(s) of a fresh start and a restart, with bin/conveyor-server and java -jar"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(machine_line)"
echo "command: $0 $* (BENCH_REPEAT=$REPEAT BENCH_IDLE_S=$IDLE_S)"
echo "work dir: $WORK"
mkdir -p "$WORK/environments"
# The launcher writes its archive when the JVM exits normally: one start to readiness and a stop is the training run.
echo "training run of bin/conveyor-server (its AppCDS archive goes to $CONVEYOR_CDS_DIR)"
CONVEYOR_LAUNCHER=$SERVER start_conveyor "$WORK/data-training" "$WORK/environments" "$WORK/training.log"
# Writing the archive at exit takes a while (tens of seconds on a loaded machine): wait for it, no SIGKILL.
kill "$CONVEYOR_PID"
for _ in $(seq 1 600); do kill -0 "$CONVEYOR_PID" 2>/dev/null || break; sleep 0.5; done
stop_conveyor
ls "$CONVEYOR_CDS_DIR"/conveyor-*.jsa > /dev/null || { echo "no AppCDS archive written; see $WORK/training.log" >&2; exit 1; }
echo "JVM options: -Xmx512m ${CONVEYOR_JAVA_OPTS:-}"
printf 'launcher\tround\tfresh_s\trestart_s\tfresh_cpu_s\trestart_cpu_s\trss_mb\tload1\n' > "$WORK/results.tsv"
# CPU seconds (user + system) the running JVM has used so far.
jvm_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$CONVEYOR_PID/stat"; }
for round in $(seq 1 "$REPEAT"); do
    for launcher in conveyor-server java-jar; do
        if [ "$launcher" = conveyor-server ]; then export CONVEYOR_LAUNCHER=$SERVER; else unset CONVEYOR_LAUNCHER; fi
        wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
        l=$(load1)
        data="$WORK/data-$launcher-$round"
        t0=$(now); start_conveyor "$data" "$WORK/environments" "$WORK/fresh-$launcher-$round.log"; t1=$(now)
        c1=$(jvm_cpu)
        sleep "$IDLE_S"
        rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$CONVEYOR_PID/status")
        stop_conveyor
        t2=$(now); start_conveyor "$data" "$WORK/environments" "$WORK/restart-$launcher-$round.log"; t3=$(now)
        c3=$(jvm_cpu)
        stop_conveyor
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$launcher" "$round" "$(elapsed "$t0" "$t1")" "$(elapsed "$t2" "$t3")" \
            "$c1" "$c3" "$rss" "$l" >> "$WORK/results.tsv"
        echo "  round $round, $launcher: fresh $(elapsed "$t0" "$t1") s ($c1 CPU-s)," \
            "restart $(elapsed "$t2" "$t3") s ($c3 CPU-s), idle RSS $rss MB (load $l)"
    done
done
$PY - "$WORK/results.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for launcher in ("conveyor-server", "java-jar"):
    mine = [r for r in rows if r["launcher"] == launcher]
    for key, unit in (("fresh_s", "s"), ("restart_s", "s"), ("fresh_cpu_s", "CPU-s"), ("restart_cpu_s", "CPU-s"), ("rss_mb", "MB")):
        v = [float(r[key]) for r in mine]
        print(f"== {launcher} {key}: median {statistics.median(v):.2f} {unit}, min {min(v):.2f}, max {max(v):.2f}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
