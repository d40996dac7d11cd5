package org.cnx.conveyor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.migrate.ConveyorServer;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The database-copy runbook on the test PostgreSQL server: a scrubbed snapshot of one environment replaces another's
 * database, after the connections to it are terminated; a protected target takes a lead.
 */
@QuarkusTest
class DatabaseCopyTest {

    private static final Duration JOB = Duration.ofMinutes(2);
    private static final Path ROOTS =
            Path.of("target", "test-data", "copy-hosts").toAbsolutePath();
    private static final String PEOPLE = """
            CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
            CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL);""";
    private static final String UNDO = "DROP TABLE api_keys; DROP TABLE people;";
    private static final String COPY = """
            runbooks:
              refresh:
                description: Replace the data with a scrubbed copy of copy-src
                copyDatabase: {from: copy-src}
                confirm: replace the data
            """;

    @Inject
    ConveyorServer server;

    @AfterAll
    static void cleanUp() {
        for (String name : new String[] {"copy-src", "copy-dst", "copy-prot", "copy-ext"}) {
            TestEnvironments.delete(name + ".yml");
        }
    }

    private static void define(String name, String extra) {
        TestEnvironments.write(name + ".yml", """
                name: %s
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [db]
                    root: %s
                components:
                  db:
                    migrations: migrations
                    start: "true"
                    stop: "true"
                database:
                  embedded: conveyor_%s
                """.formatted(name, ROOTS.resolve(name), name.replace('-', '_')) + extra);
    }

    @Test
    void aCopyReplacesTheTargetWithTheScrubbedSnapshotAndTerminatesItsConnectionsFirst() throws Exception {
        define("copy-src", """
                snapshots:
                  scrub:
                    - UPDATE people SET email = 'person' || id || '@example.invalid'
                    - DELETE FROM api_keys
                """);
        define("copy-dst", COPY);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long v1 =
                MigrationStack.release("1.0.0", MigrationStack.files("V1__people.sql", PEOPLE, "U1__people.sql", UNDO));
        for (String env : new String[] {"copy-src", "copy-dst"}) {
            Jobs.assertSucceeded(Jobs.awaitFinished(Jobs.deploy(env, v1), JOB));
        }
        MigrationStack.execute("conveyor_copy_src", """
                INSERT INTO people (name, email) VALUES ('Ada', 'ada@rice.edu'), ('Grace', 'grace@openstax.org');
                INSERT INTO api_keys (key) VALUES ('sk-live-4711-secret');""");

        JsonPath none = Jobs.awaitFinished(run("copy-dst", "developer", "replace the data"), JOB);
        assertThat(none.getString("job.status")).isEqualTo("failed");
        assertThat(none.getString("job.error")).contains("no snapshot of copy-src has been taken yet");

        long snapshot = Api.asAdmin()
                .post("/api/environments/copy-src/snapshots")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.assertSucceeded(Jobs.awaitFinished(snapshot, JOB));
        // Only now does the target get data of its own, which the copy must replace.
        MigrationStack.execute("conveyor_copy_dst", "INSERT INTO people (name, email) VALUES ('Stale', 'old@x')");

        Api.asRole("developer")
                .body(Map.of("confirm", "wrong"))
                .post("/api/environments/copy-dst/runbooks/refresh/runs")
                .then()
                .statusCode(400)
                .body("detail", containsString("replace the data"));
        // A service of the target holds a table open in a transaction, as its own role: it would block the restore.
        try (Connection service = server.embedded("conveyor_copy_dst").open()) {
            service.setAutoCommit(false);
            try (Statement s = service.createStatement()) {
                s.executeQuery("SELECT count(*) FROM people").close();
            }

            long job = run("copy-dst", "developer", "replace the data");
            JsonPath done = Jobs.awaitFinished(job, JOB);

            Jobs.assertSucceeded(done);
            assertThat(Jobs.rawLog(job))
                    .contains("terminated 1 other connection(s) to the database", "restored snapshot #");
            assertThatThrownBy(() -> {
                        try (Statement s = service.createStatement()) {
                            s.executeQuery("SELECT 1").close();
                        }
                    })
                    .isInstanceOf(SQLException.class);
        }
        assertThat(MigrationStack.column("conveyor_copy_dst", "SELECT name || ' ' || email FROM people ORDER BY id"))
                .containsExactly("Ada person1@example.invalid", "Grace person2@example.invalid");
        assertThat(MigrationStack.column("conveyor_copy_dst", "SELECT key FROM api_keys"))
                .isEmpty();
        assertThat(MigrationStack.column("conveyor_copy_src", "SELECT email FROM people ORDER BY id"))
                .as("the source is never scrubbed")
                .containsExactly("ada@rice.edu", "grace@openstax.org");
        assertThat(MigrationStack.column("conveyor_copy_src", "SELECT key FROM api_keys"))
                .containsExactly("sk-live-4711-secret");

        copyIntoADatabaseReachedByUrlAsItsOwnNonSuperuserOwner();
    }

    /** As staging's database is reached: a url, a user that owns the database and is no superuser. */
    private void copyIntoADatabaseReachedByUrlAsItsOwnNonSuperuserOwner() throws Exception {
        for (String sql : new String[] {
            "DROP DATABASE IF EXISTS copy_ext WITH (FORCE)",
            "DROP ROLE IF EXISTS copy_ext",
            "CREATE ROLE copy_ext LOGIN PASSWORD 'copy-ext-password-1'",
            "CREATE DATABASE copy_ext OWNER copy_ext"
        }) {
            MigrationStack.execute(MigrationStack.databaseName(), sql);
        }
        String url = "jdbc:postgresql://localhost:" + MigrationStack.serverPort() + "/copy_ext";
        try (Connection owner = java.sql.DriverManager.getConnection(url, "copy_ext", "copy-ext-password-1");
                Statement s = owner.createStatement()) {
            s.execute(PEOPLE + "INSERT INTO people (name, email) VALUES ('Stale', 'old@x');"
                    + "CREATE TABLE local_only (note TEXT); INSERT INTO local_only VALUES ('kept');");
        }
        Api.asAdmin()
                .body(Map.of("value", "copy-ext-password-1"))
                .put("/api/secrets/copy-ext-password")
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        TestEnvironments.write("copy-ext.yml", """
                name: copy-ext
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [db]
                    root: %s
                components:
                  db:
                    start: "true"
                    stop: "true"
                database:
                  url: %s
                  user: copy_ext
                  password: ${secret:copy-ext-password}
                """.formatted(ROOTS.resolve("copy-ext"), url) + COPY);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);

        long job = run("copy-ext", "developer", "replace the data");

        Jobs.assertSucceeded(Jobs.awaitFinished(job, JOB));
        try (Connection owner = java.sql.DriverManager.getConnection(url, "copy_ext", "copy-ext-password-1");
                Statement s = owner.createStatement();
                ResultSet r = s.executeQuery("SELECT string_agg(name || ' ' || email, ', ' ORDER BY id) FROM people"
                        + " UNION ALL SELECT string_agg(note, ',') FROM local_only")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("Ada person1@example.invalid, Grace person2@example.invalid");
            r.next();
            assertThat(r.getString(1))
                    .as("a table the snapshot lacks is left alone")
                    .isEqualTo("kept");
        }
    }

    @Test
    void aProtectedTargetTakesALeadToCopyInto() {
        define("copy-prot", "protection: {approvals: 1}\n" + COPY);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);

        Api.asRole("developer")
                .body(Map.of("confirm", "replace the data"))
                .post("/api/environments/copy-prot/runbooks/refresh/runs")
                .then()
                .statusCode(403)
                .body("detail", containsString("which is protected: it needs the lead role"));
        long job = run("copy-prot", "lead", "replace the data");
        Jobs.awaitFinished(job, JOB);
        Api.ensureUser("developer-user", "developer");
        String page = Api.page(Api.loginCookie("developer-user", Api.USER_PASSWORD))
                .get("/environments/copy-prot/runbooks")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("Replaces copy-prot's database with the newest scrubbed snapshot of")
                .contains("href=\"/environments/copy-src\"")
                .contains("needs the developer role and, as copy-prot is protected, the lead role")
                .contains("Type <code>replace the data</code> to confirm");
    }

    private static long run(String env, String role, String confirm) {
        return Api.asRole(role)
                .body(Map.of("confirm", confirm))
                .post("/api/environments/" + env + "/runbooks/refresh/runs")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }
}
