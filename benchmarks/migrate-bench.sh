#!/usr/bin/env bash
# Migration overhead: BENCH_MIGRATIONS trivial versioned migrations (V<i>__t<i>.sql = CREATE TABLE t<i> (id int),
# with U twins that drop the table) migrated by plain Flyway, the same files migrated by Conveyor's engine with a
# listener that only counts, with the journal the migrate phase writes, and with the journal plus the schema
# snapshots and diffs it takes by default; then all of them undone, without and with those. Each case runs on a
# fresh database of one embedded PostgreSQL; the cases take turns within each round.
#
#   benchmarks/migrate-bench.sh        (--smoke: 5 migrations, one round, no waiting for a quiet machine)
#
# Environment: BENCH_MIGRATIONS (200), BENCH_ROUNDS (5, after 1 warm-up round),
# BENCH_MAX_LOAD (2) and BENCH_QUIET_WAIT (120): wait at most that many seconds for the 1-minute load to drop.
# Needs Java 17; starts its own throwaway embedded PostgreSQL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
MIGRATIONS=${BENCH_MIGRATIONS:-$(sized 200 5)}
ROUNDS=${BENCH_ROUNDS:-$(sized 5 1)}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 120 0)}

cd "$REPO"
CLASSPATH_=$(bench_classpath)

wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
echo "== migration overhead benchmark: $MIGRATIONS migrations, $ROUNDS rounds"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  commit $(git rev-parse --short HEAD)  load $(load1)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1)"
java -cp "$CLASSPATH_" \
    org.cnx.conveyor.migrate.engine.MigrateBench "$MIGRATIONS" "$ROUNDS"
echo "load after: $(load1)"
echo "reproduce: BENCH_MIGRATIONS=$MIGRATIONS BENCH_ROUNDS=$ROUNDS benchmarks/migrate-bench.sh"
