package org.cnx.conveyor.migrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.MigrationListener;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.cnx.conveyor.migrate.engine.ScratchPostgres;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conveyor-migrate convert} on a db-migrator-shaped migrations folder, its output run by the real engine. */
class ConvertTest {

    @TempDir
    Path dir;

    @TempDir
    Path target;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeMigrations() throws Exception {
        write("20150101000000_create_licenses.py", """
                # -*- coding: utf-8 -*-
                def up(cursor):
                    cursor.execute(\"""\\
                CREATE TABLE licenses (id SERIAL PRIMARY KEY, url TEXT NOT NULL);
                \""")


                def down(cursor):
                    # The licenses are kept: there is no going back.
                    pass
                """);
        write("20160104115058_add_api_keys.py", """
                # -*- coding: utf-8 -*-
                \"""Adds api_keys.\"""
                from __future__ import unicode_literals


                def up(cursor):
                    \"""Creates the table.\"""
                    cursor.execute(\"""\\
                CREATE TABLE api_keys (
                  id SERIAL PRIMARY KEY,
                  key TEXT NOT NULL,
                  name TEXT NOT NULL
                )\""")
                    cursor.execute(\"""
                CREATE FUNCTION api_key_count() RETURNS bigint AS $$
                BEGIN
                  RETURN (SELECT count(*) FROM api_keys);
                END;
                $$ LANGUAGE plpgsql;
                COMMENT ON TABLE api_keys IS E'the key\\\\'s table';
                \""")


                def down(cursor):
                    cursor.execute("DROP TABLE api_keys")
                """);
        write("20160105000000_add_note_and_index.py", """
                # -*- coding: utf-8 -*-
                def up(cursor):
                    cursor.execute(u"ALTER TABLE api_keys ADD COLUMN note TEXT "
                                   r"DEFAULT 'it''s \\ raw'")  # adjacent literals
                    cursor.execute('CREATE INDEX api_keys_name ON api_keys (name) -- by name',)


                def down(cursor): cursor.execute('DROP INDEX api_keys_name'); cursor.execute(
                    'ALTER TABLE api_keys DROP COLUMN note')
                """);
        write("20160107000000_backfill_note.py", """
                # -*- coding: utf-8 -*-
                from dbmigrator import deferred, logger


                @deferred
                def up(cursor):
                    cursor.execute("UPDATE api_keys SET note = 'backfilled\\tby ' || name WHERE note IS NULL")


                def down(cursor):
                    cursor.execute("UPDATE api_keys SET note = NULL")
                """);
        write("20160108000000_repeat_fulltext.py", """
                from dbmigrator import deferred


                def should_run(cursor):
                    cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'index_fulltext_trigger'")
                    return cursor.fetchone() is None


                @deferred
                def up(cursor):
                    cursor.execute("SELECT 1")
                """);
        write("20160109000000_add_extension.py", """
                from dbmigrator import super_user


                def up(cursor):
                    with super_user() as super_cursor:
                        super_cursor.execute('CREATE EXTENSION IF NOT EXISTS pgcrypto')


                def down(cursor):
                    pass
                """);
        write("20160110000000_batch_canonical.py", """
                import time
                from dbmigrator import deferred, logger


                def _batcher(seq, size):
                    for pos in range(0, len(seq), size):
                        yield seq[pos:pos + size]


                @deferred
                def up(cursor):
                    cursor.execute("SELECT id FROM api_keys WHERE note IS NULL")
                    to_update = cursor.fetchall()
                    for batch in _batcher(to_update, 1000):
                        cursor.execute("UPDATE api_keys SET note = '' WHERE id = ANY(%s)", (batch,))
                        logger.info('batch done')
                """);
        write("20160111000000_load_functions.py", """
                import os
                here = os.path.abspath(os.path.dirname(__file__))


                def up(cursor):
                    with open(os.path.join(here, '20160111000000_functions.sql')) as f:
                        cursor.execute(f.read())


                def down(cursor):
                    cursor.execute("DROP FUNCTION api_key_count()")
                """);
        write(
                "20160111000000_functions.sql",
                "CREATE FUNCTION api_key_count() RETURNS bigint AS"
                        + " 'SELECT count(*) FROM api_keys' LANGUAGE sql;\n");
        write("__init__.py", "");
        write("20160112000000_template_text.py", """
                def up(cursor):
                    cursor.execute("INSERT INTO templates VALUES ('${title}')")
                """);
    }

    @Test
    void convertsTheLiteralSqlMigrationsAndListsTheOthersWithTheirReasons() throws Exception {
        assertThat(run("convert", dir.toString(), target.toString())).as(err()).isEqualTo(1);

        assertThat(out())
                .contains("20150101000000_create_licenses.py: converted to V20150101000000__create_licenses.sql"
                        + " (irreversible: down is only pass)")
                .contains("20160104115058_add_api_keys.py: converted to V20160104115058__add_api_keys.sql and"
                        + " U20160104115058__add_api_keys.sql")
                .contains("20160107000000_backfill_note.py: converted to deferred/V20160107000000__backfill_note.sql"
                        + " (deferred; its down is not kept: deferred backfills have no U script)")
                .contains("20160108000000_repeat_fulltext.py: skipped: line 4: should_run(): a repeat migration")
                .contains("20160109000000_add_extension.py: skipped: line 1: imports super_user from dbmigrator")
                .contains("line 5: super_user(): needs a superuser connection")
                .contains("20160110000000_batch_canonical.py: skipped: line 1: imports time; line 5: defines"
                        + " _batcher()")
                .contains("line 13: a variable (to_update = cursor.fetchall())")
                .contains("line 14: a loop (for)")
                .contains("20160111000000_load_functions.py: skipped: line 1: imports os; line 2: a variable")
                .contains("line 6: reads a file (open)")
                .contains("20160111000000_functions.sql: not a migration")
                .contains("__init__.py: not a migration")
                .contains("20160112000000_template_text.py: skipped: the SQL contains ${, which flyway reads as a"
                        + " placeholder")
                .contains("4 converted, 5 skipped");
        assertThat(files())
                .containsExactly(
                        "U20160104115058__add_api_keys.sql",
                        "U20160105000000__add_note_and_index.sql",
                        "V20150101000000__create_licenses.sql",
                        "V20160104115058__add_api_keys.sql",
                        "V20160105000000__add_note_and_index.sql",
                        "deferred/V20160107000000__backfill_note.sql");
        assertThat(read("V20160104115058__add_api_keys.sql")).isEqualTo("""
                        -- Converted from 20160104115058_add_api_keys.py (up) by conveyor-migrate.
                        CREATE TABLE api_keys (
                          id SERIAL PRIMARY KEY,
                          key TEXT NOT NULL,
                          name TEXT NOT NULL
                        );

                        CREATE FUNCTION api_key_count() RETURNS bigint AS $$
                        BEGIN
                          RETURN (SELECT count(*) FROM api_keys);
                        END;
                        $$ LANGUAGE plpgsql;
                        COMMENT ON TABLE api_keys IS E'the key\\'s table';
                        """);
        assertThat(read("V20160105000000__add_note_and_index.sql")).isEqualTo("""
                        -- Converted from 20160105000000_add_note_and_index.py (up) by conveyor-migrate.
                        ALTER TABLE api_keys ADD COLUMN note TEXT DEFAULT 'it''s \\ raw';

                        CREATE INDEX api_keys_name ON api_keys (name) -- by name
                        ;
                        """);
        assertThat(read("U20160105000000__add_note_and_index.sql"))
                .contains("DROP INDEX api_keys_name;\n\nALTER TABLE api_keys DROP COLUMN note;\n");
        assertThat(read("deferred/V20160107000000__backfill_note.sql"))
                .contains("SET note = 'backfilled\tby ' || name WHERE note IS NULL;");
    }

    @Test
    void theConvertedScriptsApplyAndUndoOnARealDatabase() throws Exception {
        run("convert", dir.toString(), target.toString());
        TargetDatabase db = ScratchPostgres.freshDatabase();
        Migrator migrator = new Migrator(db, "test");
        MigrationSet set = MigrationSet.fromFolder(target);
        assertThat(migrator.plan(set, v -> Optional.empty()).problems()).isEmpty();

        migrator.migrate(set, MigrationListener.NONE);
        execute(db, "INSERT INTO api_keys (key, name, note) VALUES ('k', 'reader', NULL)");
        migrator.migrateDeferred(set, MigrationListener.NONE);

        assertThat(query(db, "SELECT note FROM api_keys")).isEqualTo("backfilled\tby reader");
        assertThat(query(db, "SELECT api_key_count()")).isEqualTo("1");
        assertThat(query(db, "SELECT obj_description('api_keys'::regclass)")).isEqualTo("the key's table");
        assertThat(query(db, "SELECT column_default FROM information_schema.columns WHERE column_name = 'note'"))
                .isEqualTo("'it''s \\ raw'::text");
        assertThat(query(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'api_keys_name'"))
                .isEqualTo("1");

        List<AppliedMigration> newest = new ArrayList<>(migrator.history(Migrator.HISTORY).stream()
                .filter(r -> r.success() && r.isVersionedSql())
                .toList());
        newest.sort(Comparator.comparing((AppliedMigration r) -> MigrationVersion.fromVersion(r.version()))
                .reversed());
        for (AppliedMigration row : newest.subList(0, 2)) {
            migrator.undo(
                    row, set.versioned(row.version()).map(MigrationScript::undo).orElseThrow(), MigrationListener.NONE);
        }

        assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE tablename IN ('api_keys', 'licenses')"))
                .as("api_keys undone, licenses (irreversible) kept")
                .isEqualTo("1");
        assertThat(set.versioned("20150101000000").map(MigrationScript::reversible))
                .contains(false);
    }

    @Test
    void aSecondRunOverwritesNothingAndSaysWhichFileIsInTheWay() throws Exception {
        run("convert", dir.toString(), target.toString());
        Files.writeString(target.resolve("V20160104115058__add_api_keys.sql"), "-- edited by hand\n");

        assertThat(run("convert", dir.toString(), target.toString())).isEqualTo(1);

        assertThat(out())
                .contains("20160104115058_add_api_keys.py: skipped: "
                        + target.resolve("V20160104115058__add_api_keys.sql") + " already exists; not overwritten")
                .contains("0 converted, 9 skipped");
        assertThat(read("V20160104115058__add_api_keys.sql")).isEqualTo("-- edited by hand\n");
    }

    @Test
    void aFolderOfOnlyLiteralSqlMigrationsConvertsWithExitZero() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().compareTo("20160108") > 0) {
                    Files.delete(file);
                }
            }
        }

        assertThat(run("convert", dir.toString(), target.toString())).as(out()).isZero();
        assertThat(out()).contains("4 converted, 0 skipped");
    }

    @Test
    void convertWithoutDirAndOutIsAUsageError() {
        assertThat(run("convert", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("convert needs DIR and OUT").contains("convert DIR OUT");
        assertThat(run("convert", dir.resolve("missing").toString(), target.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("DIR: expected a folder of db-migrator migrations");
        assertThat(run("new", "a", "b")).isEqualTo(2);
        assertThat(err()).contains("unexpected argument b");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new MigrateCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Clock.systemUTC())
                .run(List.of(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    private String read(String name) throws Exception {
        return Files.readString(target.resolve(name));
    }

    private List<String> files() throws Exception {
        try (Stream<Path> walk = Files.walk(target)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> target.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static void execute(TargetDatabase db, String sql) throws Exception {
        try (Connection c = db.open();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(TargetDatabase db, String sql) throws Exception {
        try (Connection c = db.open();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
