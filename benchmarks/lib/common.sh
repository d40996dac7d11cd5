# Shared by the benchmark scripts (bash). Expects HERE (the benchmarks folder) to be set.
# A script's first argument --smoke picks tiny sizes and no waiting for a quiet machine: the build runs every
# script that way (BenchmarkScriptsIT), so a script that stops working fails the build. Figures from it mean nothing.
SMOKE=0
if [ "${1:-}" = --smoke ]; then SMOKE=1; fi
# sized FULL SMOKE: the full run's default, or the smoke run's.
sized() { if [ "$SMOKE" = 1 ]; then echo "$2"; else echo "$1"; fi; }
REPO=$(cd "$HERE/.." && pwd)
CONVEYOR_JAR=${CONVEYOR_JAR:-$REPO/target/quarkus-app/quarkus-run.jar}
BENCH_HOSTS=${BENCH_HOSTS:-$(sized 16 2)}
BENCH_BASE_PORT=${BENCH_BASE_PORT:-22200}
BENCH_DIR=${BENCH_DIR:-/tmp/cvybench}
export BENCH_HOSTS BENCH_BASE_PORT BENCH_DIR
PY=/usr/bin/python3          # not a pyenv shim: those cost ~0.5 s per start
CVY="$PY $HERE/lib/cvy.py"
KEY=$BENCH_DIR/client/id_ed25519
KNOWN_HOSTS=$BENCH_DIR/client/known_hosts

host_name() { printf 'host%02d' "$1"; }
host_port() { echo $((BENCH_BASE_PORT + $1)); }
load1() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Waits (bounded) until the 1-minute load is at most LIMIT; returns 1 when it never got there.
wait_for_quiet() { # limit max_seconds
    local limit=$1 max=$2 waited=0
    while awk -v l="$(load1)" -v m="$limit" 'BEGIN { exit !(l > m) }'; do
        if [ "$waited" -ge "$max" ]; then
            echo "  (load $(load1) still above $limit after ${max}s; measuring anyway)" >&2
            return 1
        fi
        [ "$waited" = 0 ] && echo "  waiting for the 1-min load ($(load1)) to drop to $limit (at most ${max}s)" >&2
        sleep 5
        waited=$((waited + 5))
    done
}

CONVEYOR_PID=
# Starts the packaged Conveyor: start_conveyor DATA_DIR ENVIRONMENTS_DIR LOG [extra VAR=value ...]; the JVM gets the
# options in CONVEYOR_JAVA_OPTS (unquoted, split on spaces) before -jar.
start_conveyor() {
    local data=$1 envs=$2 log=$3
    shift 3
    [ -f "$CONVEYOR_JAR" ] || { echo "no $CONVEYOR_JAR: build it with ./mvnw -q package -DskipTests, or set CONVEYOR_JAR" >&2; return 1; }
    CONVEYOR_PORT=$($CVY port)
    unset CONVEYOR_TOKEN
    export CONVEYOR_URL="http://127.0.0.1:$CONVEYOR_PORT" CONVEYOR_USER=admin
    export CONVEYOR_PASSWORD=${CONVEYOR_PASSWORD:-bench-password-1}
    # CONVEYOR_LAUNCHER (bin/conveyor-server) instead of a plain java -jar; it execs the JVM once its archive exists.
    local start=(java -Xmx512m ${CONVEYOR_JAVA_OPTS:-} -jar "$CONVEYOR_JAR")
    [ -z "${CONVEYOR_LAUNCHER:-}" ] || start=(env CONVEYOR_JAR="$CONVEYOR_JAR" \
        CONVEYOR_JAVA_OPTS="-Xmx512m ${CONVEYOR_JAVA_OPTS:-}" "$CONVEYOR_LAUNCHER")
    env CONVEYOR_DATA_DIR="$data" CONVEYOR_ADMIN_PASSWORD="$CONVEYOR_PASSWORD" CONVEYOR_DEPLOY_DEMO_RELEASE=false \
        CONVEYOR_ENVIRONMENTS_DIR="$envs" QUARKUS_HTTP_PORT="$CONVEYOR_PORT" "$@" \
        "${start[@]}" > "$log" 2>&1 &
    CONVEYOR_PID=$!
    if ! $CVY ready 120; then
        echo "Conveyor did not start; its log: $log" >&2
        tail -20 "$log" >&2
        return 1
    fi
}

# Later $CVY calls authenticate as a CI client does, with an API token instead of the password (see cvy.py).
use_api_token() {
    CONVEYOR_TOKEN=$($CVY token)
    export CONVEYOR_TOKEN
}

stop_conveyor() {
    if [ -n "$CONVEYOR_PID" ] && kill -0 "$CONVEYOR_PID" 2>/dev/null; then
        kill "$CONVEYOR_PID"
        local i
        for i in $(seq 1 60); do kill -0 "$CONVEYOR_PID" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$CONVEYOR_PID" 2>/dev/null && kill -9 "$CONVEYOR_PID"
    fi
    CONVEYOR_PID=
}

# The test classpath for the benchmarks written in Java: BENCH_CLASSPATH when set (the build passes its own),
# otherwise compiled and resolved here.
bench_classpath() {
    if [ -n "${BENCH_CLASSPATH:-}" ]; then
        echo "$BENCH_CLASSPATH"
        return
    fi
    (cd "$REPO" && ./mvnw -q -B -ntp test-compile >&2 &&
        ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2)
    echo "$REPO/target/test-classes:$REPO/target/classes:$(cat "$REPO/target/bench-classpath.txt")"
}

machine_line() {
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, kernel $(uname -r)," \
        "$(java -version 2>&1 | head -1), $(ssh -V 2>&1 | cut -d, -f1)," \
        "$(ansible --version 2>/dev/null | sed -n 1p)"
}
