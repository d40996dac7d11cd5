package org.cnx.conveyor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runbooks: typed parameters checked before anything runs and passed as data; one host at a time stops at a failure. */
@QuarkusTest
class RunbookTest {

    private static final Path ROOTS =
            Path.of("target", "test-data", "hosts", "rb").toAbsolutePath();
    private static boolean defined;

    @BeforeEach
    void environment() {
        if (defined) {
            return;
        }
        defined = true;
        StringBuilder hosts = new StringBuilder();
        for (String host : new String[] {"h1", "h2", "h3"}) {
            hosts.append("""
                      - name: %s
                        transport: local
                        root: %s
                        roles: [app]
                    """.formatted(host, ROOTS.resolve(host)));
        }
        TestEnvironments.write("rb.yml", """
                name: rb
                kind: shared
                stage: dev
                hosts:
                %scomponents:
                  app:
                    start: "true"
                    stop: "true"
                runbooks:
                  clear-cache:
                    description: Clear the cache folder, one host at a time
                    roles: [app]
                    oneAtATime: true
                    command: printf '%%s %%s %%s\\n' "$MODE" "$COUNT" "$NOTE" > ran.txt && [ "$(basename "$PWD")" != h2 ]
                    parameters:
                      MODE: {type: enum, values: [soft, hard], default: soft}
                      COUNT: {type: integer, min: 1, max: 5, default: "1"}
                      NOTE: {type: string, required: false}
                      FORCE: {type: boolean, default: "false"}
                  tick:
                    roles: [app]
                    command: date >> ticks
                    schedule: {cron: "* * * * *", zone: Europe/Berlin}
                  rotate:
                    roles: [app]
                    command: echo "using $TOKEN" && printf '%%s' "$TOKEN" > token.txt
                    parameters:
                      TOKEN: {type: secret, pattern: "^[A-Za-z0-9-]{8,64}$"}
                  purge:
                    roles: [app]
                    role: lead
                    confirm: purge rb
                    command: touch purged
                """.formatted(hosts));
        Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("environments", hasItem("rb"));
    }

    @AfterAll
    static void cleanUp() {
        TestEnvironments.delete("rb.yml");
    }

    @Test
    void parametersAreCheckedByTypeBeforeAnythingRunsAndUnknownOnesAreRefused() {
        Api.asRole("developer")
                .body(Map.of("parameters", Map.of("MODE", "nuke", "COUNT", "9", "FORCE", "yes", "COLOR", "red")))
                .post("/api/environments/rb/runbooks/clear-cache/runs")
                .then()
                .statusCode(400)
                .body("detail", containsString("MODE: expected one of soft, hard, found \"nuke\""))
                .body("detail", containsString("COUNT: expected a whole number from 1 to 5, found \"9\""))
                .body("detail", containsString("FORCE: expected true or false"))
                .body("detail", containsString("COLOR: not a parameter of runbook clear-cache"));
        assertThat(Files.exists(ROOTS.resolve("h1/ran.txt"))).isFalse();
        Api.asRole("developer")
                .get("/api/environments/rb/runbooks")
                .then()
                .statusCode(200)
                .body("name", hasItem("clear-cache"));
    }

    @Test
    void oneHostAtATimeStopsAtTheFirstFailureAndValuesReachTheCommandAsDataOnly() throws Exception {
        String hostile = "$(touch pwned1)'; touch pwned2; echo '`touch pwned3`";
        long job = Api.asRole("developer")
                .body(Map.of("parameters", Map.of("MODE", "hard", "COUNT", "3", "NOTE", hostile)))
                .post("/api/environments/rb/runbooks/clear-cache/runs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");

        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(1));

        assertThat(detail.getString("job.status")).isEqualTo("failed");
        assertThat(detail.getString("job.error")).contains("h2: exited with status 1");
        assertThat(Files.readString(ROOTS.resolve("h1/ran.txt"))).isEqualTo("hard 3 " + hostile + "\n");
        assertThat(Files.exists(ROOTS.resolve("h2/ran.txt"))).isTrue();
        assertThat(Files.exists(ROOTS.resolve("h3/ran.txt")))
                .as("the third host never ran")
                .isFalse();
        for (String host : new String[] {"h1", "h2"}) {
            for (String pwned : new String[] {"pwned1", "pwned2", "pwned3"}) {
                assertThat(Files.exists(ROOTS.resolve(host).resolve(pwned)))
                        .as(host + "/" + pwned)
                        .isFalse();
            }
        }
        assertThat(Jobs.rawLog(job)).contains("not run on h3: h2 failed");
        Api.asAdmin()
                .get("/api/audit?action=runbook.started")
                .then()
                .body("detail", hasItem(containsString("clear-cache")));
    }

    @Test
    void aScheduledRunbookRunsByItselfOncePerFiring() throws Exception {
        long job = org.cnx.conveyor.support.Wait.until(
                "the scheduled runbook's job",
                Duration.ofSeconds(90),
                () -> Api.asAdmin()
                        .get("/api/environments/rb/jobs")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList(
                                "findAll { it.reason != null && it.reason.startsWith('scheduled runbook tick') }.id",
                                Long.class)
                        .stream()
                        .findFirst()
                        .orElse(null));
        assertThat(Jobs.awaitFinished(job, Duration.ofMinutes(1)).getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(Files.readString(ROOTS.resolve("h1/ticks"))).isNotBlank();
        try (java.sql.Connection c = org.cnx.conveyor.support.MigrationStack.connect(
                        org.cnx.conveyor.support.MigrationStack.databaseName());
                java.sql.ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*), count(DISTINCT fired_at), count(job_id) FROM runbook_firings"
                                + " WHERE environment = 'rb' AND runbook = 'tick'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("one row, and one job, per firing").isEqualTo(rs.getInt(2));
        }
    }

    @Test
    void aRunbookForLeadsWithAConfirmationPhraseRefusesDevelopersAndAMissingPhrase() {
        Api.asRole("developer")
                .body(Map.of("confirm", "purge rb"))
                .post("/api/environments/rb/runbooks/purge/runs")
                .then()
                .statusCode(403)
                .body("detail", containsString("needs the lead role"));
        Api.asRole("lead")
                .body(Map.of())
                .post("/api/environments/rb/runbooks/purge/runs")
                .then()
                .statusCode(400)
                .body("detail", containsString("confirm: type \"purge rb\""));
        long job = Api.asRole("lead")
                .body(Map.of("confirm", "purge rb"))
                .post("/api/environments/rb/runbooks/purge/runs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        assertThat(Jobs.awaitFinished(job, Duration.ofMinutes(1)).getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(Files.exists(ROOTS.resolve("h3/purged"))).isTrue();
        Api.asRole("developer")
                .post("/api/environments/rb/runbooks/nope/runs")
                .then()
                .statusCode(404);
    }

    @Test
    void aSecretParameterReachesTheCommandButIsMaskedInTheAuditTheReasonTheLogAndTheEvents() throws Exception {
        String secret = "s3cr3t-Value-42";
        Api.asRole("developer")
                .body(Map.of("parameters", Map.of("TOKEN", "not valid!" + secret)))
                .post("/api/environments/rb/runbooks/rotate/runs")
                .then()
                .statusCode(400)
                .body("detail", containsString("TOKEN: expected text matching"))
                .body("detail", org.hamcrest.Matchers.not(containsString(secret)));
        long after = org.cnx.conveyor.support.Events.after(0, "*").getList("seq", Long.class).stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        long job = Api.asRole("developer")
                .body(Map.of("parameters", Map.of("TOKEN", secret)))
                .post("/api/environments/rb/runbooks/rotate/runs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");

        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(1));

        assertThat(detail.getString("job.status")).isEqualTo("succeeded");
        assertThat(Files.readString(ROOTS.resolve("h3/token.txt"))).isEqualTo(secret);
        assertThat(detail.prettify()).doesNotContain(secret).contains("{\\\"TOKEN\\\":\\\"****\\\"}");
        assertThat(Jobs.rawLog(job)).contains("using ****").doesNotContain(secret);
        assertThat(Api.asAdmin()
                        .get("/api/audit?action=runbook.started")
                        .then()
                        .extract()
                        .asString())
                .contains("rotate {\\\"TOKEN\\\":\\\"****\\\"}")
                .doesNotContain(secret);
        JsonPath events = org.cnx.conveyor.support.Events.after(after, "runbook.*");
        assertThat(events.getList("event.type")).containsExactly("runbook.started", "runbook.succeeded");
        assertThat(events.getList("event.data.parameters.TOKEN")).containsOnly("****");
        assertThat(events.prettify()).doesNotContain(secret);
    }

    @Test
    void aFailedRunbookIsAnEventWithWhyItFailed() {
        long after = org.cnx.conveyor.support.Events.after(0, "*").getList("seq", Long.class).stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        long job = Api.asRole("developer")
                .body(Map.of("parameters", Map.of()))
                .post("/api/environments/rb/runbooks/clear-cache/runs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.awaitFinished(job, Duration.ofMinutes(1));
        JsonPath failed = org.cnx.conveyor.support.Events.after(after, "runbook.failed");
        assertThat(failed.getLong("[0].event.data.job")).isEqualTo(job);
        assertThat(failed.getString("[0].event.environment")).isEqualTo("rb");
        assertThat(failed.getString("[0].event.data.error")).contains("h2: exited with status 1");
    }

    @Test
    void theRunbooksPageRunsOneFromItsFormAndARefusalKeepsWhatWasTyped() {
        Api.ensureUser("developer-user", "developer");
        String session = Api.loginCookie("developer-user", Api.USER_PASSWORD);
        String page = Api.page(session)
                .get("/environments/rb/runbooks")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("action=\"/environments/rb/runbooks/clear-cache/run\"")
                .contains("<option value=\"hard\"")
                .contains("type=\"number\" name=\"p.COUNT\" value=\"1\" min=\"1\" max=\"5\"")
                .contains("type=\"password\" name=\"p.TOKEN\"")
                .contains("Type <code>purge rb</code> to confirm");
        assertThat(Api.page(session).get("/environments/rb").then().extract().asString())
                .contains("href=\"/environments/rb/runbooks\"");

        String refused = Api.formPost(session)
                .formParam("p.MODE", "soft")
                .formParam("p.COUNT", "9")
                .formParam("p.NOTE", "kept note")
                .post("/environments/rb/runbooks/clear-cache/run")
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(refused)
                .contains("COUNT: expected a whole number from 1 to 5, found &quot;9&quot;")
                .contains("name=\"p.NOTE\" value=\"kept note\"")
                .contains("name=\"p.COUNT\" value=\"9\"");
        Api.formPost(session)
                .formParam("p.TOKEN", "wrong phrase")
                .post("/environments/rb/runbooks/rotate/run")
                .then()
                .statusCode(400);

        String location = Api.formPost(session)
                .formParam("p.TOKEN", "form-secret-123")
                .post("/environments/rb/runbooks/rotate/run")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        assertThat(location).matches(".*/jobs/[0-9]+$");
        long job = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        assertThat(Jobs.awaitFinished(job, Duration.ofMinutes(1)).getString("job.status"))
                .isEqualTo("succeeded");
    }
}
