#!/usr/bin/env bash
# Events end to end, three measurements:
#  1. throughput: BENCH_EVENTS (10000) service events published as fast as BENCH_PUBLISHERS (8) clients can,
#     delivered as signed webhooks to BENCH_SUBSCRIBERS (10) loopback subscribers: events/s, deliveries/s (the
#     latency here includes the backlog whenever publishing outruns delivery);
#  2. latency: BENCH_PACED_EVENTS (2000) events paced at BENCH_RATE (20/s), below saturation, to the same number
#     of subscribers: delivery latency p50/p99 (POST sent -> subscriber received);
#  Each of 1. and 2. also prints CPU seconds: Conveyor's from the first POST to the last receipt (and per delivery,
#  robust to other load where the rates are not), Conveyor's by thread pool, PostgreSQL's and the driver's own.
#  3. Kafka relay: Conveyor restarted with a real KRaft broker (Maven Central jars, as the tests use) relays
#     the outbox backlog; a consumer times it.
#
#   ./mvnw -q package -DskipTests && benchmarks/events-bench.sh
#   benchmarks/events-bench.sh --smoke   (20 events, 2 subscribers, paced 10 at 20/s, a Kafka relay of the 20)
#
# Environment: CONVEYOR_JAR, BENCH_EVENTS, BENCH_SUBSCRIBERS, BENCH_PUBLISHERS, BENCH_PACED_EVENTS, BENCH_RATE,
# BENCH_WARMUP (0: events delivered before 1., not measured), BENCH_THROUGHPUT (1; 0 skips 1.),
# BENCH_PACED (1; 0 skips 2.), BENCH_KAFKA (1; 0 skips 3.),
# BENCH_BATCH (events per POST in the throughput phase: 1 posts to /api/events, more to /api/events/batch; smoke: 5),
# BENCH_DELIVERY_TIMEOUT (seconds to wait for every delivery: 1800, 60 in smoke mode; fewer deliveries fail the run),
# BENCH_DUMP (a file: every delivery's send time, latency and subscriber, for a look at the tail),
# BENCH_QUIET_LOAD (1.5) and BENCH_QUIET_WAIT (seconds, 240; 0 in smoke mode): wait for a quiet machine before a phase.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
EVENTS=${BENCH_EVENTS:-$(sized 10000 20)}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-$(sized 10 2)}
PUBLISHERS=${BENCH_PUBLISHERS:-$(sized 8 2)}
KAFKA=${BENCH_KAFKA:-1}
PACED_EVENTS=${BENCH_PACED_EVENTS:-$(sized 2000 10)}
RATE=${BENCH_RATE:-200}
THROUGHPUT=${BENCH_THROUGHPUT:-1}
PACED=${BENCH_PACED:-1}
export BENCH_DELIVERY_TIMEOUT=${BENCH_DELIVERY_TIMEOUT:-$(sized 1800 60)}
WORK=$(mktemp -d /tmp/cvybench-events.XXXXXX)
BROKER_PID=
cleanup() {
    stop_conveyor
    if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
# The publishers and subscribers are Java (JDK only): a Python receiver cannot take 10,000 requests/s.
BENCH_JAVA="java -Xmx512m -XX:+UseParallelGC $HERE/EventsBench.java"
HZ=$(getconf CLK_TCK)
# CPU seconds (user + system) of a process, with its children that have ended (the embedded PostgreSQL's backends).
proc_cpu() { awk -v hz="$HZ" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds of the embedded PostgreSQL: its postmaster (with the backends that have ended) and its live backends.
pg_cpu() {
    local pidfile pm
    pidfile=$(find "$WORK/data" -name postmaster.pid 2>/dev/null | head -1)
    [ -n "$pidfile" ] || { echo 0; return; }
    pm=$(head -1 "$pidfile")
    { proc_cpu "$pm"; for c in $(ps -o pid= --ppid "$pm"); do proc_cpu "$c"; done; } | awk '{ s += $1 } END { print s }'
}
# CPU ticks per thread of a process, "name ticks" (thread names with their numbers dropped, so a pool adds up).
thread_ticks() {
    local t
    for t in /proc/"$1"/task/*; do
        awk -v name="$(tr -d ' ' < "$t/comm" | sed 's/[-#]*[0-9]*$//')" '{ print name, $14 + $15 }' "$t/stat" 2>/dev/null
    done | awk '{ s[$1] += $2 } END { for (n in s) print n, s[n] }'
}
# Runs a phase's driver and prints the CPU seconds Conveyor and PostgreSQL spent during it, and Conveyor's per delivery
# (the driver prints its own, publishers and subscribers together): robust to other load, unlike the rates.
measured_phase() { # output-file driver-args...
    local out=$1 c0 p0 c1 p1 rc=0
    shift
    c0=$(proc_cpu "$CONVEYOR_PID"); p0=$(pg_cpu)
    thread_ticks "$CONVEYOR_PID" > "$out.threads0"
    CONVEYOR_PID=$CONVEYOR_PID $BENCH_JAVA "$@" | tee "$out" || rc=$?
    c1=$(proc_cpu "$CONVEYOR_PID"); p1=$(pg_cpu)
    thread_ticks "$CONVEYOR_PID" > "$out.threads1"
    # Where Conveyor's CPU went, by thread pool (threads that ended during the phase are not counted).
    awk -v hz="$HZ" 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0) printf "%.1f %s\n", d / hz, $1 }' \
        "$out.threads0" "$out.threads1" | sort -rn | head -8 | awk '{ printf "%s%s %s s", (NR > 1 ? ", " : "Conveyor threads: "), $2, $1 } END { print "" }'
    awk -v c="$(elapsed "$c0" "$c1")" -v p="$(elapsed "$p0" "$p1")" \
        -v d="$(sed -n 's/.*"deliveries": \([0-9]*\).*/\1/p' "$out")" \
        -v b="$(sed -n 's/.*"bench_cpu_s": \([0-9.]*\).*/\1/p' "$out")" \
        'BEGIN { printf "cpu: Conveyor %.1f s, PostgreSQL %.1f s, publishers+subscribers %s s; Conveyor %.1f us per delivery (%d)\n", c, p, b, (d > 0 ? c * 1e6 / d : 0), d }'
    return $rc
}

echo "== events benchmark: $EVENTS events, $SUBSCRIBERS webhook subscribers, $PUBLISHERS publishers"
echo "command: $0 $* (BENCH_EVENTS=$EVENTS BENCH_SUBSCRIBERS=$SUBSCRIBERS BENCH_PUBLISHERS=$PUBLISHERS BENCH_PACED_EVENTS=$PACED_EVENTS BENCH_RATE=$RATE BENCH_BATCH=${BENCH_BATCH:-$(sized 1 5)})"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(java -version 2>&1 | head -1)"
echo "work dir: $WORK   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/environments"
# The subscribers listen on loopback, which Conveyor contacts only when allowed.
ALLOW=CONVEYOR_EVENTS_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1
start_conveyor "$WORK/data" "$WORK/environments" "$WORK/conveyor.log" "$ALLOW"
# Each phase first waits (bounded) for the 1-minute load to drop to BENCH_QUIET_LOAD (1.5), so one run's own load does
# not count against the next; the load at the start of each phase is printed either way.
QUIET_LOAD=${BENCH_QUIET_LOAD:-1.5}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 240 0)}
# BENCH_WARMUP events (0: none) published and delivered first, not measured: a JVM just started spends a third of
# the throughput phase's CPU compiling (C1/C2 threads), which a server that has been running for a while does not.
WARMUP=${BENCH_WARMUP:-0}
if [ "$WARMUP" -gt 0 ]; then
    echo "-- warm-up: $WARMUP events as fast as possible, not measured (load $(load1))"
    BENCH_BATCH=${BENCH_BATCH:-$(sized 1 5)} measured_phase "$WORK/warmup.txt" webhooks "$WARMUP" "$SUBSCRIBERS" "$PUBLISHERS" 0 warmup |
        grep '^delivered\|^Conveyor threads'
fi
if [ "$THROUGHPUT" = 1 ]; then
    wait_for_quiet "$QUIET_LOAD" "$QUIET_WAIT" || true
    echo "-- throughput: $EVENTS events as fast as possible (load $(load1))"
    BENCH_BATCH=${BENCH_BATCH:-$(sized 1 5)} measured_phase "$WORK/webhooks.txt" webhooks "$EVENTS" "$SUBSCRIBERS" "$PUBLISHERS"
fi
if [ "$PACED" = 1 ]; then
    wait_for_quiet "$QUIET_LOAD" "$QUIET_WAIT" || true
    echo "-- latency: $PACED_EVENTS events paced at $RATE/s (load $(load1))"
    measured_phase "$WORK/paced.txt" webhooks "$PACED_EVENTS" "$SUBSCRIBERS" 4 "$RATE" paced
fi
stop_conveyor
[ "$KAFKA" = 1 ] || exit 0

echo "== Kafka relay of the $EVENTS-event backlog"
CLASSPATH_FILE="$REPO/target/kafka-broker.classpath"
if [ ! -f "$CLASSPATH_FILE" ]; then
    "$REPO/mvnw" -q -B -ntp -f "$REPO/src/test/kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
fi
CP=$(cat "$CLASSPATH_FILE")
KPORT=$($CVY port); CPORT=$($CVY port)
cat > "$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$KPORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KPORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$WORK/kafka
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=1
PROPS
java -cp "$CP" kafka.tools.StorageTool format -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid)" -c "$WORK/server.properties" > "$WORK/kafka-format.log" 2>&1
java -Xmx512m -cp "$CP" kafka.Kafka "$WORK/server.properties" > "$WORK/kafka.log" 2>&1 &
BROKER_PID=$!
for _ in $(seq 1 120); do (echo > "/dev/tcp/127.0.0.1/$KPORT") 2>/dev/null && break; sleep 0.5; done
[ "$THROUGHPUT" = 1 ] || { echo "(the Kafka measurement relays the throughput phase's events; skipped)"; exit 0; }
java -cp "$CP" "$HERE/KafkaCount.java" "127.0.0.1:$KPORT" conveyor.events "$EVENTS" "$BENCH_DELIVERY_TIMEOUT" > "$WORK/kafka-count.txt" 2>"$WORK/kafka-count.log" &
COUNT_PID=$!
start_conveyor "$WORK/data" "$WORK/environments" "$WORK/conveyor-kafka.log" \
    CONVEYOR_EVENTS_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KPORT" "$ALLOW"
wait "$COUNT_PID" || true
cat "$WORK/kafka-count.txt"
grep -q "^kafka: $EVENTS records" "$WORK/kafka-count.txt" || { echo "FAILED: the relay did not deliver $EVENTS records; see $WORK" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
