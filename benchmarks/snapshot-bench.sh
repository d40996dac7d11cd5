#!/usr/bin/env bash
# Snapshots: how long taking a snapshot of a generated cnx-shaped database takes, its size, and how long seeding a new
# clone from it takes, next to a plain `pg_dump | psql` copy of the same database in the same run. Runs the commands
# Conveyor's snapshot job and seeding run, against a throwaway PostgreSQL 15 server of its own: a read-only
# `pg_dump -Fc --serializable-deferrable`, `pg_restore --jobs` into a database of a non-superuser owner role
# (`--no-owner --no-acl`) and the scrub, the stored dump, the snapshot's template (the file restored once, frozen,
# analysed and sealed), and a clone as `CREATE DATABASE … TEMPLATE` + `REASSIGN OWNED` to the clone's own role.
#
#   benchmarks/snapshot-bench.sh   (--smoke: a few MB, no waiting for a quiet machine)
#
# The database: modules (book pages: uuid, version, title, HTML content, a tsvector with a GIN index, keywords with a
# GIN index), collections (books, with a JSON tree), module_files (binary files, 64 KiB each, bytea) and people
# (e-mails, scrubbed). Environment: BENCH_MB (1500: scales the rows; 1500 gave a 1,078 MB database), BENCH_COMPRESS
# (0: pg_dump --compress of the snapshot, as Conveyor stores it), BENCH_JOBS (2: pg_restore --jobs), BENCH_PORT (a free
# one), BENCH_MAX_LOAD (2), BENCH_QUIET_WAIT (120). Needs postgresql-15 (server and client) and runs its server as the
# postgres user when started as root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
MB=${BENCH_MB:-$(sized 1500 8)}
JOBS=${BENCH_JOBS:-2}
COMPRESS=${BENCH_COMPRESS:-0}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 120 0)}
BIN=/usr/lib/postgresql/15/bin
[ -x "$BIN/postgres" ] || { echo "needs postgresql-15 ($BIN/postgres)" >&2; exit 1; }
PORT=${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d /tmp/snapshot-bench.XXXXXX)
chmod 755 "$WORK"
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); chown postgres "$WORK"; fi
PGDATA_=$WORK/pg
cleanup() {
    "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA_" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"${AS[@]}" "$BIN/initdb" -D "$PGDATA_" -U postgres -A trust >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA_" -l "$WORK/server.log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_wal_size=2GB -c shared_buffers=256MB" \
    start >/dev/null
SU=(env PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres)
psql_() { "${SU[@]}" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# The source, as a cnx database; rows of each kind scale with BENCH_MB.
FILES=$((MB * 1024 / 64 * 6 / 10))     # ~60% of the data: 64 KiB binary files
MODULES=$((MB * 100))                  # ~35%: pages of ~3.5 KiB of text
COLLECTIONS=$((MODULES / 50 + 1))
psql_ -c "CREATE DATABASE cnx"
psql_ -d cnx <<SQL
CREATE TABLE people (id SERIAL PRIMARY KEY, username TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE modules (module_ident SERIAL PRIMARY KEY, uuid UUID NOT NULL, version TEXT NOT NULL, title TEXT NOT NULL,
    content TEXT NOT NULL, keywords TEXT[] NOT NULL, fulltext TSVECTOR, author INT REFERENCES people (id));
CREATE TABLE collections (id SERIAL PRIMARY KEY, uuid UUID NOT NULL, title TEXT NOT NULL, tree JSONB NOT NULL);
CREATE TABLE module_files (id SERIAL PRIMARY KEY, module_ident INT NOT NULL REFERENCES modules, filename TEXT NOT NULL,
    media_type TEXT NOT NULL, file BYTEA NOT NULL);
ALTER TABLE module_files ALTER COLUMN file SET STORAGE EXTERNAL;
INSERT INTO people (username, email) SELECT 'user' || i, 'user' || i || '@rice.edu' FROM generate_series(1, 5000) i;
INSERT INTO modules (uuid, version, title, content, keywords, author)
    SELECT md5(i::text)::uuid, '1.' || (i % 7), 'Page ' || i,
           '<html><body>' || repeat('Physics of motion, energy and ' || i || ' waves. ', 80) || '</body></html>',
           ARRAY['physics', 'chapter' || (i % 40), 'k' || (i % 997)], 1 + i % 5000
    FROM generate_series(1, $MODULES) i;
UPDATE modules SET fulltext = to_tsvector('english', title || ' ' || left(content, 600));
CREATE INDEX modules_fulltext_idx ON modules USING gin (fulltext);
CREATE INDEX modules_keywords_idx ON modules USING gin (keywords);
CREATE INDEX modules_uuid_idx ON modules (uuid);
INSERT INTO collections (uuid, title, tree)
    SELECT md5('c' || i)::uuid, 'Book ' || i,
           jsonb_build_object('contents', (SELECT jsonb_agg(m) FROM generate_series(i * 50, i * 50 + 49) m))
    FROM generate_series(0, $COLLECTIONS - 1) i;
-- Random bytes (compress badly, as images do): 64 KiB each.
INSERT INTO module_files (module_ident, filename, media_type, file)
    SELECT 1 + i % $MODULES, 'figure' || i || '.png', 'image/png',
           (SELECT string_agg(decode(md5(i::text || j::text), 'hex'), ''::bytea) FROM generate_series(1, 4096) j)
    FROM generate_series(1, $FILES) i;
CREATE INDEX module_files_module_idx ON module_files (module_ident);
CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version TEXT, success BOOLEAN NOT NULL);
INSERT INTO flyway_schema_history VALUES (1, '1', true);
VACUUM ANALYZE;
SQL
SIZE=$(psql_ -d cnx -At -c "SELECT pg_database_size('cnx')")

# Conveyor's target databases: each owned by a login role without privileges, as embedded databases are.
owned() { # name
    psql_ -c "CREATE ROLE $1 LOGIN PASSWORD 'bench'" -c "CREATE DATABASE $1 OWNER $1"
}
AS_OWNER() { env PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER="$1" PGPASSWORD=bench "${@:2}"; }

wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
echo "== snapshot benchmark: database cnx of $((SIZE / 1048576)) MB ($MODULES modules, $COLLECTIONS collections, $FILES files of 64 KiB)"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')  load $(load1)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $("$BIN/pg_dump" --version); shared with other builds"

# Session settings Conveyor gives the restores it runs (a new database: nothing to lose if the server stops midway).
RESTORE_OPTS="-c synchronous_commit=off -c maintenance_work_mem=256MB"
t0=$(now)
"${SU[@]}" PGOPTIONS="-c default_transaction_read_only=on" "$BIN/pg_dump" -d cnx --format=custom --compress="$COMPRESS" \
    --serializable-deferrable --no-owner --no-acl --file="$WORK/source.dump"
t1=$(now)
owned scrub_copy
AS_OWNER scrub_copy env PGOPTIONS="$RESTORE_OPTS" "$BIN/pg_restore" -d scrub_copy --no-owner --no-acl --exit-on-error \
    --jobs="$JOBS" "$WORK/source.dump"
AS_OWNER scrub_copy "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -d scrub_copy \
    -c "UPDATE people SET email = 'person' || id || '@example.invalid'"
t2=$(now)
AS_OWNER scrub_copy "$BIN/pg_dump" -d scrub_copy --format=custom --compress="$COMPRESS" --no-owner --no-acl \
    --file="$WORK/snapshot.dump"
t3=$(now)
SNAP_BYTES=$(stat -c %s "$WORK/snapshot.dump")
sha256sum "$WORK/snapshot.dump" >/dev/null
t4=$(now)
# The snapshot's template: the stored file restored once (by the snapshot job, in the background) into a database that
# nobody may connect to, its objects owned by a role of its own, frozen and analysed.
psql_ -c "CREATE ROLE snapshot_1 LOGIN PASSWORD 'bench'" -c "CREATE DATABASE snapshot_1 OWNER snapshot_1"
AS_OWNER snapshot_1 env PGOPTIONS="$RESTORE_OPTS" "$BIN/pg_restore" -d snapshot_1 --no-owner --no-acl --exit-on-error \
    --jobs="$JOBS" "$WORK/snapshot.dump"
t5=$(now)
AS_OWNER snapshot_1 env PGOPTIONS="-c client_min_messages=error" "$BIN/psql" -X -q -d snapshot_1 -c "VACUUM (FREEZE, ANALYZE)"
psql_ -c "ALTER DATABASE snapshot_1 OWNER TO postgres" -c "ALTER DATABASE snapshot_1 ALLOW_CONNECTIONS false"
t6=$(now)
# What a new clone waits for: a copy of the template's files, its objects handed to the clone's owner role.
psql_ -c "CREATE ROLE clone_restore LOGIN PASSWORD 'bench'"
t7=$(now)
psql_ -c "CREATE DATABASE clone_restore OWNER clone_restore TEMPLATE snapshot_1 STRATEGY FILE_COPY"
psql_ -d clone_restore -c "REASSIGN OWNED BY snapshot_1 TO clone_restore"
t8=$(now)
owned clone_pipe
t9=$(now)
"${SU[@]}" "$BIN/pg_dump" -d cnx --no-owner --no-acl | AS_OWNER clone_pipe "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -d clone_pipe >/dev/null
t10=$(now)
ROWS=$(AS_OWNER clone_restore "$BIN/psql" -X -At -d clone_restore -c "SELECT count(*) FROM module_files")
[ "$ROWS" = "$FILES" ] || { echo "restored $ROWS files, expected $FILES" >&2; exit 1; }
SCRUBBED=$(AS_OWNER clone_restore "$BIN/psql" -X -At -d clone_restore -c "SELECT count(*) FROM people WHERE email LIKE '%@rice.edu'")
[ "$SCRUBBED" = 0 ] || { echo "the snapshot holds $SCRUBBED unscrubbed e-mails" >&2; exit 1; }

RESTORE=$(elapsed "$t4" "$t5")
COPY=$(elapsed "$t7" "$t8")
PIPE=$(elapsed "$t9" "$t10")
OWNER=$(AS_OWNER clone_restore "$BIN/psql" -X -At -d clone_restore -c "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'module_files'")
[ "$OWNER" = clone_restore ] || { echo "module_files belongs to $OWNER in the clone, not to its owner role" >&2; exit 1; }
echo "take snapshot (--compress=$COMPRESS): dump $(elapsed "$t0" "$t1") s + restore and scrub $(elapsed "$t1" "$t2") s + dump $(elapsed "$t2" "$t3") s = $(elapsed "$t0" "$t3") s"
echo "snapshot file: $((SNAP_BYTES / 1048576)) MB (database $((SIZE / 1048576)) MB); sha256 $(elapsed "$t3" "$t4") s"
echo "template: pg_restore --jobs=$JOBS of the file $RESTORE s + freeze, analyse, seal $(elapsed "$t5" "$t6") s (in the snapshot job)"
echo "clone from the template (CREATE DATABASE … TEMPLATE, REASSIGN OWNED): $COPY s"
echo "plain pg_dump | psql of the source: $PIPE s"
echo "clone speed-up over the pipe: $(awk -v a="$PIPE" -v b="$COPY" 'BEGIN { printf "%.2f", a / b }')x; pg_restore alone: $(awk -v a="$PIPE" -v b="$RESTORE" 'BEGIN { printf "%.2f", a / b }')x"
echo "reproduce: BENCH_MB=$MB BENCH_JOBS=$JOBS BENCH_COMPRESS=$COMPRESS benchmarks/snapshot-bench.sh"
