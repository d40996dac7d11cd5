# Runs one db-migrator migration step for Conveyor: the request (JSON) arrives on standard input after this program,
# the migration's own output goes to standard output, and the last line is the outcome, prefixed with RESULT_MARK.
# Its files are written to a fresh temporary folder, so the step never depends on what is installed where.
import contextlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import traceback
import types

RESULT_MARK = "\x1econveyor-result "
HISTORY_DDL = "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT NOT NULL, applied TIMESTAMPTZ)"


def emit(outcome):
    sys.stdout.flush()
    sys.stdout.write(RESULT_MARK + json.dumps(outcome) + "\n")
    sys.stdout.flush()


def write_files(folder, files):
    for path, text in files.items():
        if path.startswith("/") or ".." in path.split("/"):
            raise ValueError("refusing file name " + path)
        target = os.path.join(folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)


def install_dbmigrator(psycopg2, request):
    """The names cnx-db's migrations import from dbmigrator: deferred, super_user and logger."""
    module = types.ModuleType("dbmigrator")
    module.logger = logging.getLogger("dbmigrator")

    def deferred(up):
        up.deferred = True
        return up

    @contextlib.contextmanager
    def super_user():
        credentials = request.get("superuser")
        if not credentials:
            raise RuntimeError(
                "super_user() needs superuser credentials, and the environment's database definition gives none"
                " (database.superuser)")
        connection = psycopg2.connect(**dict(request["db"], **credentials))
        try:
            with connection.cursor() as cursor:
                yield cursor
            connection.commit()
        finally:
            connection.close()

    module.deferred = deferred
    module.super_user = super_user
    sys.modules["dbmigrator"] = module


def load(folder, file_name):
    name = file_name[:-3]
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, file_name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(cursor, version, applied):
    cursor.execute(HISTORY_DDL)
    if applied:
        cursor.execute("UPDATE schema_migrations SET applied = now() WHERE version = %s", (version,))
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO schema_migrations (version, applied) VALUES (%s, now())", (version,))
    else:
        cursor.execute("DELETE FROM schema_migrations WHERE version = %s", (version,))


def main():
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    request = json.loads(sys.stdin.read())
    folder = tempfile.mkdtemp(prefix="conveyor-dbmigrator-")
    try:
        run(request, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(request, folder):
    write_files(folder, request["files"])
    sys.path.insert(0, folder)
    import psycopg2

    install_dbmigrator(psycopg2, request)
    migration = load(folder, request["file"])
    connection = psycopg2.connect(**request["db"])
    try:
        with connection.cursor() as cursor:
            if request["action"] == "should_run":
                run = bool(migration.should_run(cursor))
                connection.rollback()
                emit({"ok": True, "run": run})
                return
            if request["action"] == "up":
                migration.up(cursor)
                record(cursor, request["version"], True)
            else:
                if hasattr(migration, "down"):
                    migration.down(cursor)
                record(cursor, request["version"], False)
        connection.commit()
        emit({"ok": True})
    finally:
        connection.close()


try:
    main()
except BaseException as error:
    traceback.print_exc()
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    emit({"ok": False, "error": type(error).__name__ + (": " + " ".join(lines[:3]) if lines else "")})
    sys.exit(1)
