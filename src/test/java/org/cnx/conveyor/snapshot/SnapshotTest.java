package org.cnx.conveyor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.migrate.EnvironmentDatabases;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Snapshots of a real database on the test PostgreSQL server, taken with the real pg_dump and pg_restore: scrubbed on
 * a copy, stored, kept per source, and restored into a new environment's database and by "Reset data".
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotTest {

    private static final Duration JOB = Duration.ofMinutes(2);
    private static final Path ROOTS =
            Path.of("target", "test-data", "snapshot-hosts").toAbsolutePath();
    private static final String PEOPLE = """
            CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
            CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL);
            CREATE TABLE sessions (id TEXT PRIMARY KEY, person INT REFERENCES people (id));""";
    private static final String UNDO = "DROP TABLE sessions; DROP TABLE api_keys; DROP TABLE people;";
    private static final List<String> SCRUB = List.of(
            "UPDATE people SET email = 'person' || id || '@example.invalid'",
            "DELETE FROM api_keys",
            "TRUNCATE sessions");

    @Inject
    JobService jobs;

    @Inject
    EnvironmentService environments;

    @Inject
    EnvironmentDatabases databases;

    @Inject
    SnapshotFiles files;

    private static boolean defined;

    @BeforeEach
    void defineSourceAndSeededEnvironments() {
        if (defined) {
            return;
        }
        defined = true;
        define("snap-src", "embedded: conveyor_snap_src", SCRUB, 2);
        define("snap-seeded", "embedded: conveyor_snap_seeded\n  seed: snap-src", null, 0);
        define("snap-twice", "embedded: conveyor_snap_twice\n  seed: snap-src", null, 0);
        define("snap-bad", "embedded: conveyor_snap_bad", List.of("UPDATE no_such_table SET x = 1"), 2);
        define(
                "snap-escape",
                "embedded: conveyor_snap_escape",
                List.of("COPY (SELECT 1) TO PROGRAM 'touch /tmp/conveyor-snapshot-escape'"),
                2);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    private static void define(String name, String database, List<String> scrub, int keep) {
        StringBuilder yaml = new StringBuilder("""
                name: %s
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [app, db]
                    root: %s
                components:
                  app:
                    start: "true"
                    stop: "true"
                  db:
                    migrations: migrations
                    start: "true"
                    stop: "true"
                database:
                  %s
                """.formatted(name, ROOTS.resolve(name), database));
        if (scrub != null) {
            yaml.append("snapshots:\n  keep: ").append(keep).append("\n  scrub:\n");
            scrub.forEach(script ->
                    yaml.append("    - \"").append(script.replace("\"", "\\\"")).append("\"\n"));
        }
        TestEnvironments.write(name + ".yml", yaml.toString());
    }

    private static long v1() {
        return MigrationStack.release("1.0.0", MigrationStack.files("V1__people.sql", PEOPLE, "U1__people.sql", UNDO));
    }

    private static long v2() {
        return MigrationStack.release(
                "1.0.0",
                MigrationStack.files(
                        "V1__people.sql",
                        PEOPLE,
                        "U1__people.sql",
                        UNDO,
                        "V2__nicknames.sql",
                        "ALTER TABLE people ADD COLUMN nickname TEXT;",
                        "U2__nicknames.sql",
                        "ALTER TABLE people DROP COLUMN nickname;"));
    }

    @Test
    @Order(1)
    void aSnapshotHoldsScrubbedDataAndTheSourceIsUnchanged() throws Exception {
        Jobs.assertSucceeded(Jobs.awaitFinished(Jobs.deploy("snap-src", v1()), JOB));
        MigrationStack.execute("conveyor_snap_src", """
                INSERT INTO people (name, email) VALUES ('Ada', 'ada@rice.edu'), ('Grace', 'grace@openstax.org');
                INSERT INTO api_keys (key) VALUES ('sk-live-4711-secret');
                INSERT INTO sessions VALUES ('session-token-0815', 1);""");
        Api.asRole("developer")
                .post("/api/environments/snap-src/snapshots")
                .then()
                .statusCode(403);

        JsonPath job = take("snap-src");
        Jobs.assertSucceeded(job);
        assertThat(Jobs.rawLog(job.getLong("job.id")))
                .contains("(read only)", "scrub script 3 of 3 ran", "prepared template conveyor_snapshot_");

        JsonPath snapshot = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(snapshot.getList("id")).hasSize(1);
        assertThat(snapshot.getString("[0].schemaVersion")).isEqualTo("1");
        assertThat(snapshot.getInt("[0].migrations")).isEqualTo(1);
        assertThat(snapshot.getString("[0].sha256")).hasSize(64);
        String sql = asSql(snapshot.getLong("[0].id"));
        assertThat(sql)
                .contains("person1@example.invalid", "person2@example.invalid", "Ada")
                .doesNotContain("ada@rice.edu", "grace@openstax.org", "sk-live-4711-secret", "session-token-0815");

        assertThat(MigrationStack.column("conveyor_snap_src", "SELECT email FROM people ORDER BY id"))
                .containsExactly("ada@rice.edu", "grace@openstax.org");
        assertThat(MigrationStack.column("conveyor_snap_src", "SELECT key FROM api_keys"))
                .containsExactly("sk-live-4711-secret");
    }

    @Test
    @Order(2)
    void onlyAdminsDownloadASnapshot() {
        long id = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .extract()
                .jsonPath()
                .getLong("[0].id");
        Api.asRole("developer")
                .accept("application/octet-stream")
                .get("/api/snapshots/" + id + "/file")
                .then()
                .statusCode(403);
        Api.asRole("lead")
                .accept("application/octet-stream")
                .get("/api/snapshots/" + id + "/file")
                .then()
                .statusCode(403);
        Api.asRole("reviewer").get("/api/snapshots/" + id).then().statusCode(200);
    }

    @Test
    @Order(3)
    void aNewEnvironmentIsSeededFromTheNewestSnapshotAndGetsOnlyTheMigrationsItLacks() throws Exception {
        long deploy = Jobs.deploy("snap-seeded", v2());
        Jobs.assertSucceeded(Jobs.awaitFinished(deploy, JOB));
        assertThat(Jobs.rawLog(deploy))
                .as("the deploy job's log shows the seeding")
                .contains(
                        "seeding conveyor_snap_seeded from snapshot #", "seeded conveyor_snap_seeded from snapshot #");
        assertThat(MigrationStack.column("conveyor_snap_seeded", "SELECT email FROM people ORDER BY id"))
                .containsExactly("person1@example.invalid", "person2@example.invalid");
        assertThat(MigrationStack.column("conveyor_snap_seeded", "SELECT count(*) FROM api_keys"))
                .containsExactly("0");
        assertThat(MigrationStack.column(
                        "conveyor_snap_seeded", "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1", "2");
        assertThat(MigrationStack.column(
                        "conveyor_snap_seeded",
                        "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nickname'"))
                .containsExactly("1");
        assertThat(MigrationStack.column(
                        "conveyor_snap_seeded",
                        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                .as("the restored tables belong to the database's own role, not to a superuser")
                .containsExactly("conveyor_snap_seeded");
    }

    @Test
    @Order(4)
    void resetDataRestoresTheSnapshotOverADatabaseWithActiveConnections() throws Exception {
        MigrationStack.execute("conveyor_snap_seeded", "DELETE FROM people");
        try (Connection open = MigrationStack.connect("conveyor_snap_seeded");
                Statement s = open.createStatement()) {
            s.execute("BEGIN; LOCK TABLE people IN ACCESS EXCLUSIVE MODE");
            long reset = jobs.submit(JobOrder.of(JobType.RESET_DATA, "snap-seeded", "admin"))
                    .id();
            JsonPath done = Jobs.awaitFinished(reset, JOB);
            Jobs.assertSucceeded(done);
            assertThat(Jobs.rawLog(reset))
                    .contains("dropped database conveyor_snap_seeded", "seeded conveyor_snap_seeded from snapshot #");
            assertThat(open.isValid(5))
                    .as("the open session was ended by the reset")
                    .isFalse();
        }
        assertThat(MigrationStack.column("conveyor_snap_seeded", "SELECT email FROM people ORDER BY id"))
                .containsExactly("person1@example.invalid", "person2@example.invalid");
        assertThat(MigrationStack.column(
                        "conveyor_snap_seeded", "SELECT count(*) FROM flyway_schema_history WHERE version = '2'"))
                .containsExactly("1");
    }

    @Test
    @Order(5)
    void retentionKeepsTheNewestSnapshotsOfTheSource() throws SQLException {
        long first = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .extract()
                .jsonPath()
                .getLong("[0].id");
        Jobs.assertSucceeded(take("snap-src"));
        Jobs.assertSucceeded(take("snap-src"));
        List<Long> kept = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        assertThat(kept).hasSize(2).doesNotContain(first);
        Api.asAdmin().get("/api/snapshots/" + first).then().statusCode(404);
        assertThat(MigrationStack.column(
                        MigrationStack.databaseName(),
                        "SELECT count(*) FROM pg_database WHERE datname = 'conveyor_snapshot_" + first + "'"))
                .as("the removed snapshot's template is dropped with it")
                .containsExactly("0");
    }

    @Test
    @Order(6)
    void aFailingScrubScriptStoresNoSnapshot() {
        Jobs.assertSucceeded(Jobs.awaitFinished(Jobs.deploy("snap-bad", v1()), JOB));
        JsonPath job = take("snap-bad");
        assertThat(job.getString("job.status")).isEqualTo("failed");
        assertThat(job.getString("job.error")).contains("scrub script 1 failed, so no snapshot was stored");
        Api.asAdmin()
                .get("/api/snapshots?source=snap-bad")
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(0));
    }

    @Test
    @Order(7)
    void aScrubScriptCannotRunProgramsOnTheServer() throws IOException {
        Jobs.assertSucceeded(Jobs.awaitFinished(Jobs.deploy("snap-escape", v1()), JOB));
        Files.deleteIfExists(Path.of("/tmp/conveyor-snapshot-escape"));
        JsonPath job = take("snap-escape");
        assertThat(job.getString("job.status")).isEqualTo("failed");
        assertThat(job.getString("job.error")).contains("scrub script 1 failed", "pg_execute_server_program");
        assertThat(Path.of("/tmp/conveyor-snapshot-escape")).doesNotExist();
    }

    @Test
    @Order(8)
    void anEnvironmentWithoutScrubScriptsCannotBeSnapshotted() {
        Api.asAdmin()
                .post("/api/environments/snap-seeded/snapshots")
                .then()
                .statusCode(409)
                .body("detail", containsString("declares no snapshots"));
    }

    @Test
    @Order(9)
    void aNewSeededDatabaseIsSeededOnceByItsFirstOpenerAndNotByStatusPages() throws Exception {
        Api.asAdmin()
                .get("/api/environments/snap-twice/migrations")
                .then()
                .statusCode(200)
                .body("error", containsString("the next deploy job creates it from snapshot #"))
                .body("error", containsString("of snap-src (schema version 1, 1 migrations"));
        assertThat(MigrationStack.column(
                        MigrationStack.databaseName(),
                        "SELECT count(*) FROM pg_database WHERE datname = 'conveyor_snap_twice'"))
                .as("a status page does not create (and seed) the database")
                .containsExactly("0");

        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition("snap-twice"));
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opened.add(two.submit(() -> {
                    start.await();
                    databases.open(definition, log::add).close();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : opened) {
                f.get();
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(log.stream().filter(l -> l.startsWith("seeding conveyor_snap_twice")))
                .as("one of the two callers seeds, the other waits for it: %s", log)
                .hasSize(1);
        assertThat(MigrationStack.column("conveyor_snap_twice", "SELECT email FROM people ORDER BY id"))
                .containsExactly("person1@example.invalid", "person2@example.invalid");
    }

    @Test
    @Order(10)
    void aDatabaseLeftHalfFilledIsSeededAgainAndAMissingTemplateIsRebuiltFromTheFile() throws Exception {
        long newest = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .extract()
                .jsonPath()
                .getLong("[0].id");
        MigrationStack.execute("conveyor_snap_twice", "INSERT INTO people (name, email) VALUES ('Half', 'half@x')");
        // What a Conveyor that stopped while seeding leaves behind, and a template lost with its server's data.
        MigrationStack.execute(
                MigrationStack.databaseName(), "COMMENT ON DATABASE conveyor_snap_twice IS 'conveyor: being filled'");
        MigrationStack.execute(MigrationStack.databaseName(), "DROP DATABASE conveyor_snapshot_" + newest);
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition("snap-twice"));
        List<String> log = new ArrayList<>();
        databases.open(definition, log::add).close();
        assertThat(String.join("\n", log))
                .contains(
                        "restoring snapshot #" + newest + " into its template",
                        "prepared template conveyor_snapshot_" + newest,
                        "seeded conveyor_snap_twice from snapshot #" + newest);
        assertThat(MigrationStack.column("conveyor_snap_twice", "SELECT email FROM people ORDER BY id"))
                .containsExactly("person1@example.invalid", "person2@example.invalid");
        assertThat(MigrationStack.column(
                        "conveyor_snap_twice", "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                .containsExactly("conveyor_snap_twice");
    }

    @Test
    @Order(11)
    void aCancelledSnapshotJobStopsPgDumpAndStoresNothing() throws Exception {
        List<Long> before = Api.asAdmin()
                .get("/api/snapshots?source=snap-src")
                .then()
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        try (Connection holder = MigrationStack.connect("conveyor_snap_src");
                Statement s = holder.createStatement()) {
            // pg_dump waits for this lock: the job is certainly running its dump when it is cancelled.
            s.execute("BEGIN; LOCK TABLE people IN ACCESS EXCLUSIVE MODE");
            long job = Api.asAdmin()
                    .post("/api/environments/snap-src/snapshots")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getLong("id");
            org.cnx.conveyor.support.Wait.until(
                    "pg_dump to wait for the lock", Duration.ofMinutes(1), () -> waitingDumps() > 0 ? true : null);
            Api.asAdmin().post("/api/jobs/" + job + "/cancel").then().statusCode(200);
            JsonPath done = Jobs.awaitFinished(job, JOB);
            assertThat(done.getString("job.status")).isEqualTo("cancelled");
            assertThat(Jobs.rawLog(job)).contains("cancelled: nothing was stored");
            s.execute("ROLLBACK");
        }
        // Its session, which was waiting for the lock, ends once it gets the lock and finds pg_dump gone.
        org.cnx.conveyor.support.Wait.until(
                "pg_dump's session to end", Duration.ofMinutes(1), () -> waitingDumps() == 0 ? true : null);
        assertThat(Api.asAdmin()
                        .get("/api/snapshots?source=snap-src")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .isEqualTo(before);
        try (var partial = Files.list(files.scratch(0, "probe").getParent())) {
            assertThat(partial.map(p -> p.getFileName().toString()))
                    .as("no file in progress is left")
                    .noneMatch(name -> name.endsWith(".partial"));
        }
    }

    private static int waitingDumps() {
        try {
            return Integer.parseInt(MigrationStack.column(
                            MigrationStack.databaseName(),
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'")
                    .get(0));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonPath take(String source) {
        long job = Api.asAdmin()
                .post("/api/environments/" + source + "/snapshots")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        return Jobs.awaitFinished(job, JOB);
    }

    /** The snapshot as downloaded by an admin, turned into SQL text by pg_restore. */
    private static String asSql(long id) throws IOException, InterruptedException {
        byte[] dump = io.restassured.RestAssured.given()
                .auth()
                .preemptive()
                .basic("admin", Api.ADMIN_PASSWORD)
                .get("/api/snapshots/" + id + "/file")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .extract()
                .asByteArray();
        Path file = Files.createTempFile("snapshot-", ".dump");
        Files.write(file, dump);
        Process p = new ProcessBuilder("pg_restore", "--file=-", file.toString())
                .redirectErrorStream(true)
                .start();
        String sql = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(sql).isZero();
        Files.delete(file);
        return sql;
    }
}
