#!/usr/bin/env bash
# Schema snapshots: how long SchemaSnapshot.take and SchemaDiff.between take on a generated schema of
# BENCH_TABLES tables (6 columns, a serial primary key and one index each), next to pg_dump --schema-only
# of the same database in the same run.
#
#   benchmarks/schema-snapshot-bench.sh   (--smoke: 5 tables, one run, no waiting for a quiet machine)
#
# Environment: BENCH_TABLES (500), BENCH_RUNS (20, each after 5 warm-up runs),
# BENCH_PG_DUMP (/usr/lib/postgresql/15/bin/pg_dump; pg_dump 15 dumps the embedded PostgreSQL 14),
# BENCH_MAX_LOAD (2) and BENCH_QUIET_WAIT (120): wait at most that many seconds for the 1-minute load to drop.
# Needs Java 17; starts its own throwaway embedded PostgreSQL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
TABLES=${BENCH_TABLES:-$(sized 500 5)}
RUNS=${BENCH_RUNS:-$(sized 20 1)}
PG_DUMP=${BENCH_PG_DUMP:-/usr/lib/postgresql/15/bin/pg_dump}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 120 0)}
[ -x "$PG_DUMP" ] || { echo "no pg_dump at $PG_DUMP: set BENCH_PG_DUMP" >&2; exit 1; }

cd "$REPO"
CLASSPATH_=$(bench_classpath)

wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
echo "== schema snapshot benchmark: $TABLES tables, $RUNS runs"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  commit $(git rev-parse --short HEAD)  load $(load1)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1), $("$PG_DUMP" --version)"
java -cp "$CLASSPATH_" \
    org.cnx.conveyor.migrate.schema.SchemaSnapshotBench "$TABLES" "$RUNS" "$PG_DUMP"
echo "reproduce: BENCH_TABLES=$TABLES BENCH_RUNS=$RUNS benchmarks/schema-snapshot-bench.sh"
