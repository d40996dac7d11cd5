package org.cnx.conveyor.migrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.migrate.engine.DbMigratorSets;
import org.cnx.conveyor.migrate.engine.ScratchPostgres;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The developer command line against a scratch PostgreSQL database and a migrations folder on disk. */
class MigrateCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2016-01-04T11:50:58Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final TargetDatabase db = ScratchPostgres.freshDatabase();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of("--dir", dir.toString(), "--url", db.url(), "--user", db.user(), "--password", db.password()));
        return new MigrateCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        CLOCK)
                .run(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void newCreatesATimestampedMigrationWithItsUndoTwin() {
        assertThat(run("new", "add_api_keys")).isZero();

        assertThat(dir.resolve("V20160104115058__add_api_keys.sql")).exists();
        assertThat(dir.resolve("U20160104115058__add_api_keys.sql")).exists();
        assertThat(out()).contains("created ").contains("V20160104115058__add_api_keys.sql");
    }

    @Test
    void migrateStatusUndoAndDriftWorkOnARealDatabase() throws Exception {
        Files.writeString(
                dir.resolve("V20160104115058__add_api_keys.sql"),
                "CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, groups TEXT[]);");
        Files.writeString(dir.resolve("U20160104115058__add_api_keys.sql"), "DROP TABLE api_keys;");
        Files.writeString(
                dir.resolve("V20160105000000__add_index.sql"), "CREATE INDEX api_keys_name ON api_keys (name);");
        Files.writeString(dir.resolve("U20160105000000__add_index.sql"), "DROP INDEX api_keys_name;");

        assertThat(run("status")).isZero();
        assertThat(out()).contains("20160104115058").contains("pending");

        assertThat(run("migrate")).as(err.toString()).isZero();
        assertThat(out())
                .contains("apply V20160104115058 add api keys")
                .contains("+ table public.api_keys")
                .contains("2 migration(s) applied");

        assertThat(run("status")).isZero();
        assertThat(out()).contains("applied").doesNotContain("pending");

        assertThat(run("drift")).isZero();
        assertThat(out()).contains("no drift");
        execute("ALTER TABLE api_keys ADD COLUMN note TEXT");
        assertThat(run("drift")).isEqualTo(1);
        assertThat(out()).contains("+ column public.api_keys.note");
        execute("ALTER TABLE api_keys DROP COLUMN note");

        assertThat(run("undo", "--steps", "2")).as(err.toString()).isZero();
        assertThat(out()).contains("undo V20160105000000").contains("2 migration(s) undone");
        assertThat(run("status")).isZero();
        assertThat(out()).contains("pending").doesNotContain("applied");
    }

    @Test
    void undoWithoutAnUndoScriptChangesNothingAndSaysWhichFile() throws Exception {
        Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE one (id int);");
        assertThat(run("migrate")).isZero();

        assertThat(run("undo")).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("V1__one.sql has no U1__*.sql")
                .contains("nothing was undone");
    }

    @Test
    void wrongUsageAndBadFileNamesGetClearMessages() throws Exception {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown command frobnicate")
                .contains("usage:");
        assertThat(run("new", "Bad Name")).isEqualTo(2);
        Files.writeString(dir.resolve("V1-wrong.sql"), "");
        assertThat(run("status")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("problem: V1-wrong.sql is not run: the flyway format runs only files named so:"
                        + " expected V<version>__<name>.sql");
    }

    @Test
    void readsAndRunsDbMigratorFilesUndoesWithDownAndBaselinesAnExistingDatabase() throws Exception {
        for (var file : DbMigratorSets.files().entrySet()) {
            Files.createDirectories(dir.resolve(file.getKey()).getParent());
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        String[] python = {"--python", DbMigratorSets.PYTHON, "--support", "sql/*.sql", "--superuser", "postgres"};

        assertThat(run(concat(new String[] {"status"}, python))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("seed_in_batches")
                .contains("pending, no undo script")
                .contains("deferred, pending");

        assertThat(run(concat(new String[] {"migrate"}, python))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("apply V20170101000000 create_modules (20170101000000_create_modules.py)")
                .contains("| filled 250 modules")
                .contains("5 migration(s) applied");

        assertThat(run(concat(new String[] {"drift"}, python))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no drift");
        execute("CREATE TABLE made_by_hand (id int)");
        assertThat(run(concat(new String[] {"drift"}, python))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("table public.made_by_hand");
        execute("DROP TABLE made_by_hand");

        assertThat(run(concat(new String[] {"undo"}, python))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("undo V20170105000000");
        assertThat(run(concat(new String[] {"undo", "--steps", "2"}, python))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cannot be undone")
                .contains("its down is missing or only passes");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.open();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
