package org.cnx.conveyor.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.migrate.schema.SchemaSnapshot;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Fleet;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestSshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations inside deploys, on real SSH hosts and a real PostgreSQL: forward, undo on every kind of rollback. */
@QuarkusTest
class MigrationDeployTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final String BOOKS = "CREATE TABLE books (id SERIAL PRIMARY KEY, title TEXT NOT NULL);";
    private static Fleet fleet;

    @BeforeEach
    void startHosts() {
        if (fleet == null) {
            fleet = Fleet.start("migrate", 2, 0);
        }
    }

    @AfterAll
    static void stopHosts() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    /** An environment over the fleet whose database is {@code embedded: NAME} on the test server. */
    private static String environment(String env) {
        fleet.defineWithDatabase(env, fleet.hosts(), "  embedded: " + database(env) + "\n");
        return env;
    }

    private static String database(String env) {
        return env.replace('-', '_');
    }

    private static Map<String, String> base() {
        return MigrationStack.files("V1__books.sql", BOOKS, "U1__books.sql", "DROP TABLE books;");
    }

    private static JsonPath deploy(String env, long release) {
        long job = Jobs.deploy(env, release);
        return Jobs.awaitFinished(job, JOB_TIMEOUT);
    }

    private static void assertHostsOn(String env, long release) {
        for (TestSshHost host : fleet.hosts()) {
            assertThat(fleet.current(host, env)).as(host.name()).isEqualTo("releases/" + release);
            assertThat(fleet.answeringRelease(host, env)).as(host.name()).isEqualTo(Long.toString(release));
        }
    }

    @Test
    void whenTheThirdOfFiveMigrationsFailsEveryMigrationOfTheJobIsUndoneAndTheSchemaIsExactlyAsBefore() {
        String env = environment("mig-fail");
        long r1 = MigrationStack.release("1.0.0", base());
        Jobs.assertSucceeded(deploy(env, r1));
        SchemaSnapshot before = MigrationStack.snapshot(database(env));
        Map<String, String> five = base();
        five.putAll(MigrationStack.files(
                "V2__add_isbn.sql",
                "ALTER TABLE books ADD COLUMN isbn TEXT;",
                "U2__add_isbn.sql",
                "ALTER TABLE books DROP COLUMN isbn;",
                "V3__index_isbn.sql",
                "CREATE UNIQUE INDEX books_isbn ON books (isbn);",
                "U3__index_isbn.sql",
                "DROP INDEX books_isbn;",
                "V4__broken.sql",
                "CREATE TABLE shelves (id int); INSERT INTO nowhere VALUES (1);",
                "U4__broken.sql",
                "DROP TABLE shelves;",
                "V5__authors.sql",
                "CREATE TABLE authors (id int);",
                "U5__authors.sql",
                "DROP TABLE authors;",
                "V6__more.sql",
                "ALTER TABLE authors ADD COLUMN name TEXT;",
                "U6__more.sql",
                "ALTER TABLE authors DROP COLUMN name;"));
        long r2 = MigrationStack.release("2.0.0", five);

        JsonPath job = deploy(env, r2);

        String log = Jobs.rawLog(job.getLong("job.id"));
        assertThat(job.getString("job.status")).as(log).isEqualTo("rolled_back");
        assertThat(job.getString("job.error"))
                .contains("V4 broken")
                .contains("relation \"nowhere\" does not exist")
                .contains("this job's migrations were undone");
        assertThat(MigrationStack.snapshot(database(env))).isEqualTo(before);
        assertThat(log)
                .contains("apply V2 add isbn", "apply V3 index isbn", "undo V3 index isbn", "undo V2 add isbn")
                .doesNotContain("apply V5");
        assertThat(log.indexOf("undo V3 index isbn")).isLessThan(log.indexOf("undo V2 add isbn"));
        assertHostsOn(env, r1);
        // The live release is still r1, so its one migration is the whole status; the failure is in what Conveyor did.
        Api.asAdmin()
                .get("/api/environments/" + env + "/migrations")
                .then()
                .statusCode(200)
                .body("migrations.version", org.hamcrest.Matchers.contains("1"))
                .body("recent.find { it.action == 'failed' }.script", org.hamcrest.Matchers.equalTo("V4__broken.sql"))
                .body(
                        "recent.find { it.action == 'failed' }.error",
                        containsString("relation \"nowhere\" does not exist"))
                .body("recent.findAll { it.action == 'undone' }.version", org.hamcrest.Matchers.contains("2", "3"));
    }

    @Test
    void rollingBackASuccessfulDeployUndoesItsMigrationsAndRestoresThePreviousSchemaExactly() {
        String env = environment("mig-rollback");
        long r1 = MigrationStack.release("1.0.0", base());
        Jobs.assertSucceeded(deploy(env, r1));
        SchemaSnapshot before = MigrationStack.snapshot(database(env));
        Map<String, String> next = base();
        next.putAll(MigrationStack.files(
                "V2__api_keys.sql",
                        "CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, groups TEXT[]);",
                "U2__api_keys.sql", "DROP TABLE api_keys;"));
        long r2 = MigrationStack.release("2.0.0", next);
        JsonPath deployed = deploy(env, r2);
        Jobs.assertSucceeded(deployed);
        assertThat(MigrationStack.snapshot(database(env)).objects()).containsKey("column public.api_keys.groups");
        assertThat(Jobs.rawLog(deployed.getLong("job.id")))
                .contains("schema changes of V2__api_keys.sql:")
                .contains("+ table public.api_keys");
        assertThat(page("/jobs/" + deployed.getLong("job.id")))
                .contains("Schema changes")
                .contains("+ column public.api_keys.groups: text[] null");

        long rollback = Jobs.rollback(env);
        JsonPath rolledBack = Jobs.awaitFinished(rollback, JOB_TIMEOUT);

        Jobs.assertSucceeded(rolledBack);
        assertThat(MigrationStack.snapshot(database(env))).isEqualTo(before);
        assertHostsOn(env, r1);
        assertThat(Jobs.rawLog(rollback)).contains("undo V2 api keys");
        Api.asAdmin()
                .get("/api/events?type=migration.*&environment=" + env + "&limit=1000")
                .then()
                .statusCode(200)
                .body(
                        "event.type",
                        org.hamcrest.Matchers.contains("migration.applied", "migration.applied", "migration.undone"))
                .body(
                        "event.data.script",
                        org.hamcrest.Matchers.contains("V1__books.sql", "V2__api_keys.sql", "V2__api_keys.sql"));
    }

    @Test
    void aFailedHealthCheckAfterTheMigrationsUndoesThemWithTheHosts() {
        String env = environment("mig-verify");
        long r1 = MigrationStack.release("1.0.0", base());
        Jobs.assertSucceeded(deploy(env, r1));
        SchemaSnapshot before = MigrationStack.snapshot(database(env));
        Map<String, String> next = base();
        next.putAll(MigrationStack.files(
                "V2__shelves.sql", "CREATE TABLE shelves (id int);", "U2__shelves.sql", "DROP TABLE shelves;"));
        long r2 = MigrationStack.release("2.0.0", next);
        fleet.mark(fleet.host(1), env, "fail-health", Long.toString(r2));

        JsonPath job = deploy(env, r2);

        assertThat(job.getString("job.status"))
                .as(Jobs.rawLog(job.getLong("job.id")))
                .isEqualTo("rolled_back");
        assertThat(MigrationStack.snapshot(database(env))).isEqualTo(before);
        assertHostsOn(env, r1);
    }

    @Test
    void anIrreversibleMigrationIsFlaggedInThePlanNeedsConfirmationAndThenBlocksRollback() {
        String env = environment("mig-irreversible");
        long r1 = MigrationStack.release("1.0.0", base());
        Jobs.assertSucceeded(deploy(env, r1));
        Map<String, String> next = base();
        next.put("V2__drop_titles.sql", "ALTER TABLE books DROP COLUMN title;");
        long r2 = MigrationStack.release("2.0.0", next);

        Api.asAdmin()
                .get("/api/environments/" + env + "/plan?release=" + r2)
                .then()
                .statusCode(200)
                .body("migrations.irreversible", hasItem("V2__drop_titles.sql"))
                .body("migrations.apply[0].reversible", org.hamcrest.Matchers.equalTo(false))
                .body("steps", hasItem(containsString("IRREVERSIBLE")));
        Api.asAdmin()
                .body(Map.of("release", r2))
                .post("/api/environments/" + env + "/deployments")
                .then()
                .statusCode(409)
                .body("detail", containsString("V2__drop_titles.sql"))
                .body("detail", containsString("allowIrreversible"));
        assertThat(page("/environments/" + env + "/plan?release=" + r2))
                .contains("no: irreversible")
                .contains("name=\"allowIrreversible\"")
                .contains("V2__drop_titles.sql</code> cannot be undone by a rollback");

        long job = Api.asAdmin()
                .body(Map.of("release", r2, "allowIrreversible", true))
                .post("/api/environments/" + env + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.assertSucceeded(Jobs.awaitFinished(job, JOB_TIMEOUT));

        Api.asAdmin()
                .post("/api/environments/" + env + "/rollback")
                .then()
                .statusCode(409)
                .body("detail", containsString("rollback to release " + r1 + " is refused"))
                .body("detail", containsString("V2 drop titles"))
                .body("detail", containsString("no undo script"));
        assertHostsOn(env, r2);
    }

    @Test
    void deferredMigrationsRunAfterCommitAndAFailingOneLeavesTheDeployCommittedAndTheEnvironmentWarned() {
        String env = environment("mig-deferred");
        Map<String, String> files = base();
        files.put("deferred/V10__backfill.sql", "INSERT INTO books (title) VALUES ('College Physics');");
        long r1 = MigrationStack.release("1.0.0", files);
        Jobs.assertSucceeded(deploy(env, r1));
        long deferredJob = Wait.deferredJobAfter(env, 0);
        Jobs.assertSucceeded(Jobs.awaitFinished(deferredJob, JOB_TIMEOUT));
        Api.asAdmin()
                .get("/api/environments/" + env + "/migrations")
                .then()
                .statusCode(200)
                .body(
                        "migrations.find { it.version == '10' }.state",
                        org.hamcrest.Matchers.equalTo("deferred-applied"));

        files.put("deferred/V11__bad_backfill.sql", "UPDATE books SET nothing = 1;");
        long r2 = MigrationStack.release("2.0.0", files);
        JsonPath deployed = deploy(env, r2);
        Jobs.assertSucceeded(deployed);
        long failing = Wait.deferredJobAfter(env, deferredJob);
        JsonPath failed = Jobs.awaitFinished(failing, JOB_TIMEOUT);

        assertThat(failed.getString("job.status")).isEqualTo("failed");
        assertThat(failed.getString("job.error")).contains("V11 bad backfill").contains("column \"nothing\"");
        assertHostsOn(env, r2);
        Api.asAdmin()
                .get("/api/environments/" + env)
                .then()
                .statusCode(200)
                .body("summary.currentRelease", org.hamcrest.Matchers.equalTo((int) r2))
                .body("summary.warning", containsString("V11 bad backfill"))
                .body("summary.warningJob", org.hamcrest.Matchers.equalTo((int) failing));
        Api.asAdmin()
                .get("/api/environments/" + env + "/migrations")
                .then()
                .statusCode(200)
                .body("migrations.find { it.version == '11' }.state", org.hamcrest.Matchers.equalTo("failed"));
    }

    @Test
    void aChecksumChangedAfterApplyingStopsTheDeployAtPlanTimeNamingTheFile() {
        String env = environment("mig-checksum");
        Jobs.assertSucceeded(deploy(env, MigrationStack.release("1.0.0", base())));
        Map<String, String> edited = base();
        edited.put("V1__books.sql", BOOKS + "\n-- edited after it was applied");
        long r2 = MigrationStack.release("2.0.0", edited);

        Api.asAdmin()
                .get("/api/environments/" + env + "/plan?release=" + r2)
                .then()
                .statusCode(200)
                .body("migrations.blockers[0]", containsString("V1__books.sql was changed after it was applied"));
        Api.asAdmin()
                .body(Map.of("release", r2))
                .post("/api/environments/" + env + "/deployments")
                .then()
                .statusCode(409)
                .body("detail", containsString("V1__books.sql was changed after it was applied"));
    }

    @Test
    void statusShowsWhoAppliedWhatAndAdminsRepairTheHistoryWithAnAuditTrail() {
        String env = environment("mig-status");
        Map<String, String> files = base();
        files.put("V2__shelves.sql", "CREATE TABLE shelves (id int);");
        long id = Api.asAdmin()
                .body(Map.of("release", MigrationStack.release("1.0.0", files), "allowIrreversible", true))
                .post("/api/environments/" + env + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath job = Jobs.awaitFinished(id, JOB_TIMEOUT);
        Jobs.assertSucceeded(job);
        String api = "/api/environments/" + env + "/migrations";
        Api.asAdmin()
                .get(api)
                .then()
                .statusCode(200)
                .body("database", containsString(database(env)))
                .body("migrations.find { it.version == '1' }.state", org.hamcrest.Matchers.equalTo("applied"))
                .body("migrations.find { it.version == '1' }.job", org.hamcrest.Matchers.equalTo(job.getInt("job.id")))
                .body("migrations.find { it.version == '2' }.reversible", org.hamcrest.Matchers.equalTo(false));

        Api.asRole("developer").post(api + "/2/mark-not-applied").then().statusCode(403);
        Api.asAdmin().post(api + "/2/mark-not-applied").then().statusCode(204);
        Api.asAdmin()
                .get(api)
                .then()
                .body("migrations.find { it.version == '2' }.state", org.hamcrest.Matchers.equalTo("pending"));
        Api.asAdmin().post(api + "/2/mark-applied").then().statusCode(204);
        Api.asAdmin()
                .get(api)
                .then()
                .body("migrations.find { it.version == '2' }.state", org.hamcrest.Matchers.equalTo("applied"));
        Api.asAdmin().post(api + "/99/mark-applied").then().statusCode(404);
        Api.asAdmin()
                .body(Map.of("version", "1"))
                .post(api + "/baseline")
                .then()
                .statusCode(409)
                .body("detail", containsString("already has a migration history"));

        assertThat(AuditRows.actions("environments/" + env))
                .contains("migrations.mark_not_applied", "migrations.mark_applied");
    }

    private static String page(String path) {
        return Api.page(Api.loginCookie("admin", "test-admin-password"))
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** Finds jobs of the environment through the API. */
    static final class Wait {
        private Wait() {}

        /** The id of the first deferred-migrate job of the environment newer than {@code after}. */
        static long deferredJobAfter(String env, long after) {
            return org.cnx.conveyor.support.Wait.until("a deferred-migrate job in " + env, JOB_TIMEOUT, () -> {
                List<Map<String, Object>> jobs = Api.asAdmin()
                        .get("/api/environments/" + env + "/jobs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("");
                return jobs.stream()
                        .filter(j -> "deferred-migrate".equals(j.get("type")))
                        .map(j -> ((Number) j.get("id")).longValue())
                        .filter(id -> id > after)
                        .min(Long::compare)
                        .orElse(null);
            });
        }
    }
}
