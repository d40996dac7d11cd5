package org.cnx.conveyor.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.migrate.engine.DbMigratorSets;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Fleet;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.cnx.conveyor.support.TestSshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * cnx-db's db-migrator format inside real deploys: Python in the sandbox as the environment's own uid against its
 * embedded database, and over SSH on the db host against a database with superuser credentials for super_user().
 */
@QuarkusTest
class DbMigratorDeployTest {

    private static final Duration JOB = Duration.ofMinutes(2);
    private static final Path DATA = Path.of("target", "test-data").toAbsolutePath();

    /** Tries what a hostile migration would: read Conveyor's master key, list its data dir; records what it saw. */
    private static final String WHO_RAN = """
            import os


            def up(cursor):
                key = os.environ.get('CONVEYOR_TEST_KEY', '%s')
                cursor.execute('CREATE TABLE who_ran (uid INT, read_key BOOLEAN, listed_data BOOLEAN)')
                def can(action):
                    try:
                        return bool(action())
                    except OSError:
                        return False
                cursor.execute('INSERT INTO who_ran VALUES (%%s, %%s, %%s)', (
                    os.getuid(),
                    can(lambda: open(key).read()),
                    can(lambda: 'master.key' in os.listdir('%s'))))


            def down(cursor):
                cursor.execute('DROP TABLE who_ran')
            """.formatted(DATA.resolve("master.key"), DATA);

    private static Fleet fleet;

    @AfterAll
    static void cleanUp() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        TestEnvironments.delete("dbm-sandbox.yml");
        TestEnvironments.delete("dbm-ssh.yml");
        try (var entries = Files.list(DATA.resolve("sandbox/uids"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().startsWith(".")
                        && Files.readString(entry).contains("/hosts/dbm-")) {
                    Files.delete(entry);
                }
            }
        }
    }

    private static Map<String, String> base() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("20170101000000_create_modules.py", DbMigratorSets.CREATE_MODULES);
        files.put("20170103000000_seed_in_batches.py", DbMigratorSets.SEED_IN_BATCHES);
        files.put("20170104000000_fill_canonical.py", DbMigratorSets.FILL_CANONICAL);
        files.put("20170106000000_who_ran.py", WHO_RAN);
        return files;
    }

    private static Map<String, String> withFunction() {
        Map<String, String> files = new LinkedHashMap<>(base());
        files.put("20170102000000_load_function.py", DbMigratorSets.LOAD_FUNCTION);
        files.put("sql/shout.sql", DbMigratorSets.SHOUT_SQL);
        return files;
    }

    private static long deploy(String env, long release) {
        long job = Api.asAdmin()
                .body(Map.of("release", release, "allowIrreversible", true))
                .post("/api/environments/" + env + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        assertSucceeded(job);
        return job;
    }

    private static void assertSucceeded(long job) {
        JsonPath detail = Jobs.awaitFinished(job, JOB);
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
    }

    private static long deferredJobAfter(String env, long after) {
        return Jobs.deferredMigrateAfter(env, after, JOB);
    }

    @Test
    void inTheSandboxTheMigrationsRunAsTheEnvironmentsUidAndARollbackRunsDown() throws Exception {
        TestEnvironments.write("dbm-sandbox.yml", """
                name: dbm-sandbox
                kind: shared
                stage: dev
                root: hosts/dbm-sandbox
                hosts:
                  - name: local
                    transport: sandbox
                    roles: [app, db]
                components:
                  app:
                    start: "true"
                    stop: "true"
                  db:
                    start: "true"
                    stop: "true"
                    migrations:
                      folder: migrations
                      format: db-migrator
                      python: %s
                      support: ["sql/*.sql"]
                database:
                  embedded: dbm_sandbox
                """.formatted(DbMigratorSets.PYTHON));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long r1 = MigrationStack.release("1.0.0", base());
        long r2 = MigrationStack.release("1.0.0", withFunction());

        Api.asAdmin()
                .get("/api/environments/dbm-sandbox/plan?release=" + r1)
                .then()
                .statusCode(200)
                .body(
                        "migrations.apply.script",
                        org.hamcrest.Matchers.hasItems(
                                "20170101000000_create_modules.py", "20170103000000_seed_in_batches.py"))
                .body("migrations.deferred.script", org.hamcrest.Matchers.hasItem("20170104000000_fill_canonical.py"))
                .body("migrations.irreversible", org.hamcrest.Matchers.hasItem("20170103000000_seed_in_batches.py"));

        long first = deploy("dbm-sandbox", r1);
        assertThat(Jobs.rawLog(first))
                .contains("apply V20170101000000 create_modules (20170101000000_create_modules.py)")
                .contains("inserted 100 modules")
                .contains("+ table public.modules");
        assertSucceeded(deferredJobAfter("dbm-sandbox", first));
        assertThat(query("dbm_sandbox", "SELECT count(*), count(canonical) FROM modules"))
                .isEqualTo("250 250");
        assertThat(query("dbm_sandbox", "SELECT uid > 0, read_key, listed_data FROM who_ran"))
                .as("the migration ran as the sandbox's uid and could not read Conveyor's key or data dir")
                .isEqualTo("t f f");

        long second = deploy("dbm-sandbox", r2);
        assertThat(Jobs.rawLog(second)).contains("apply V20170102000000 load_function");
        assertThat(query("dbm_sandbox", "SELECT shout('cnx')")).isEqualTo("CNX!");

        long rollback = Jobs.rollback("dbm-sandbox");
        assertSucceeded(rollback);
        assertThat(Jobs.rawLog(rollback)).contains("undo V20170102000000");
        assertThat(query("dbm_sandbox", "SELECT count(*) FROM pg_proc WHERE proname = 'shout'"))
                .isEqualTo("0");
        assertThat(query("dbm_sandbox", "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations"))
                .as("db-migrator's own history, as the dbmigrator command reads it")
                .isEqualTo("20170101000000,20170103000000,20170104000000,20170106000000");
        Api.asAdmin()
                .get("/api/environments/dbm-sandbox/migrations")
                .then()
                .statusCode(200)
                .body(
                        "migrations.find { it.version == '20170104000000' }.state",
                        org.hamcrest.Matchers.equalTo("deferred-applied"))
                .body(
                        "migrations.find { it.version == '20170103000000' }.reversible",
                        org.hamcrest.Matchers.equalTo(false));

        MigrationStack.execute("dbm_sandbox", "SET ROLE dbm_sandbox; CREATE TABLE made_by_hand (id INT)");
        Api.asAdmin()
                .post("/api/environments/dbm-sandbox/drift")
                .then()
                .statusCode(200)
                .body("clean", org.hamcrest.Matchers.equalTo(false))
                .body("onlyLive.object", org.hamcrest.Matchers.hasItem("table public.made_by_hand"))
                .body(
                        "onlyLive.object",
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("table public.modules")))
                .body("replayed", org.hamcrest.Matchers.equalTo(4));

        Map<String, String> stray = new LinkedHashMap<>(base());
        stray.put("notes.txt", "remember to vacuum");
        long r3 = MigrationStack.release("1.0.0", stray);
        Api.asAdmin()
                .body(Map.of("release", r3, "allowIrreversible", true))
                .post("/api/environments/dbm-sandbox/deployments")
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("notes.txt is not run"))
                .body("detail", org.hamcrest.Matchers.containsString("migrations.support"));
    }

    @Test
    void overSshTheDbHostRunsThemAndSuperUserGetsOnlyTheDefinitionsSuperuser() throws Exception {
        fleet = Fleet.start("dbm", 1, 0);
        TestSshHost host = fleet.host(0);
        MigrationStack.execute(
                MigrationStack.databaseName(), "CREATE ROLE dbm_ssh_owner LOGIN PASSWORD 'dbm-owner-pw'");
        MigrationStack.execute(MigrationStack.databaseName(), "CREATE DATABASE dbm_ssh OWNER dbm_ssh_owner");
        MigrationStack.execute("dbm_ssh", "ALTER SCHEMA public OWNER TO dbm_ssh_owner");
        // An existing cnx database: tables and db-migrator's history, with a deferred migration never run.
        MigrationStack.execute(
                "dbm_ssh",
                "SET ROLE dbm_ssh_owner;"
                        + " CREATE TABLE modules (module_ident SERIAL PRIMARY KEY, name TEXT NOT NULL, canonical TEXT);"
                        + " CREATE TABLE schema_migrations (version TEXT NOT NULL, applied TIMESTAMPTZ);"
                        + " INSERT INTO schema_migrations VALUES ('20170101000000', now()), ('20170104000000', NULL);"
                        + " INSERT INTO modules (name) VALUES ('College Physics')");
        secret("dbm-owner", "dbm-owner-pw");
        secret("dbm-super-user", MigrationStack.serverUser());
        secret("dbm-super", MigrationStack.serverPassword());
        TestEnvironments.write("dbm-ssh.yml", """
                name: dbm-ssh
                kind: shared
                stage: dev
                hosts:
                  - name: %s
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    hostKey: "%s"
                    key: ${secret:%s}
                    root: %s
                    roles: [app, db]
                components:
                  app:
                    start: "true"
                    stop: "true"
                  db:
                    start: "true"
                    stop: "true"
                    migrations:
                      folder: migrations
                      format: db-migrator
                      python: %s
                database:
                  url: jdbc:postgresql://127.0.0.1:%d/dbm_ssh
                  user: dbm_ssh_owner
                  password: ${secret:dbm-owner}
                  superuser:
                    user: ${secret:dbm-super-user}
                    password: ${secret:dbm-super}
                """.formatted(
                        host.name(),
                        host.port(),
                        System.getProperty("user.name"),
                        host.hostKeyFingerprint(),
                        Fleet.KEY_SECRET,
                        fleet.root(host, "dbm-ssh"),
                        DbMigratorSets.PYTHON,
                        MigrationStack.serverPort()));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("20170101000000_create_modules.py", DbMigratorSets.CREATE_MODULES);
        files.put("20170104000000_fill_canonical.py", DbMigratorSets.FILL_CANONICAL);
        files.put("20170105000000_superuser_flag.py", DbMigratorSets.SUPERUSER_FLAG);
        long release = MigrationStack.release("1.0.0", files);

        long job = deploy("dbm-ssh", release);

        assertThat(Jobs.rawLog(job))
                .doesNotContain("apply V20170101000000")
                .contains("apply V20170105000000 superuser_flag")
                .doesNotContain(MigrationStack.serverPassword());
        assertThat(query("dbm_ssh", "SELECT flag FROM superuser_seen")).isEqualTo("t");
        assertSucceeded(deferredJobAfter("dbm-ssh", job));
        assertThat(query("dbm_ssh", "SELECT canonical FROM modules")).isEqualTo("book-1");
        assertThat(query("dbm_ssh", "SELECT count(*) FROM schema_migrations WHERE applied IS NULL"))
                .as("the deferred row db-migrator left pending is now applied")
                .isEqualTo("0");
    }

    private static void secret(String name, String value) {
        Api.asAdmin()
                .body(Map.of("value", value))
                .put("/api/secrets/" + name)
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    private static String query(String database, String sql) throws SQLException {
        try (Connection c = MigrationStack.connect(database);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            List<String> values = new java.util.ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return String.join(" ", values);
        }
    }
}
