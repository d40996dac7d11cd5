package org.cnx.conveyor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Deploy release N to E at T": fires once, is dropped after its expiry, respects freezes, and can be cancelled. */
@QuarkusTest
class ScheduledDeployTest {

    private static boolean defined;

    @BeforeEach
    void environment() {
        if (!defined) {
            defined = true;
            TestEnvironments.writeInstant("sched-dev", "dev", 0);
            TestEnvironments.writeInstant("sched-protected", "dev", 1);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        }
    }

    @AfterAll
    static void cleanUp() {
        TestEnvironments.delete("sched-dev.yml");
        TestEnvironments.delete("sched-protected.yml");
    }

    private static long schedule(long release, Instant at, Instant expiresAt) {
        Map<String, Object> body = expiresAt == null
                ? Map.of("release", release, "at", at.toString())
                : Map.of("release", release, "at", at.toString(), "expiresAt", expiresAt.toString());
        return Api.asRole("developer")
                .body(body)
                .post("/api/environments/sched-dev/scheduled-deploys")
                .then()
                .statusCode(201)
                .body("state", equalTo("pending"))
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static JsonPath settled(long id) {
        return settled("sched-dev", id);
    }

    private static JsonPath settled(String environment, long id) {
        return Wait.until("scheduled deploy #" + id + " to settle", Duration.ofSeconds(60), () -> {
            JsonPath list = Api.asAdmin()
                    .get("/api/environments/" + environment + "/scheduled-deploys")
                    .then()
                    .extract()
                    .jsonPath();
            String state = list.getString("find { it.id == " + id + " }.state");
            return state == null || state.equals("pending") || state.equals("firing")
                    ? null
                    : list.setRootPath("find { it.id == " + id + " }");
        });
    }

    @Test
    void aScheduledDeployFiresOnceAtItsTimeAsTheRequesterAndShowsOnTheEnvironmentPage() {
        long release = Jobs.versionOnlyRelease("sched-1");
        long id = schedule(release, Instant.now().plusSeconds(3), null);
        Api.asAdmin()
                .accept("text/html")
                .get("/environments/sched-dev")
                .then()
                .body(containsString("Scheduled: release " + release));

        JsonPath fired = settled(id);

        assertThat(fired.getString("state")).isEqualTo("fired");
        long job = fired.getLong("job");
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(1));
        assertThat(detail.getString("job.status")).isEqualTo("succeeded");
        assertThat(detail.getString("job.requestedBy")).isEqualTo("developer-user");
        assertThat(detail.getString("job.reason")).startsWith("scheduled deploy #" + id);
    }

    @Test
    void oneThatCouldNotFireBeforeItsExpiryIsDroppedAndOneInsideAFreezeIsRefused() {
        long release = Jobs.versionOnlyRelease("sched-2");
        long late = schedule(release, Instant.now().plusSeconds(3600), null);
        // As if Conveyor had been down past its expiry.
        MigrationStack.execute(
                MigrationStack.databaseName(),
                "UPDATE scheduled_deploys SET run_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'"
                        + " WHERE id = " + late);
        assertThat(settled(late).getString("state")).isEqualTo("expired");

        Api.ensureUser("lead-user", "lead");
        // Far enough ahead that the freeze below exists before it fires, even on a busy machine.
        long frozen = schedule(release, Instant.now().plusSeconds(15), null);
        long freeze = Api.asRole("lead")
                .body(Map.of(
                        "environment",
                        "sched-dev",
                        "from",
                        Instant.now().toString(),
                        "to",
                        Instant.now().plusSeconds(600).toString(),
                        "reason",
                        "release week"))
                .post("/api/freezes")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        try {
            JsonPath refused = settled(frozen);
            assertThat(refused.getString("state")).isEqualTo("refused");
            assertThat(refused.getString("outcome"))
                    .contains("frozen by freeze #" + freeze)
                    .contains("release week");
            Api.asRole("developer")
                    .body(Map.of(
                            "release",
                            release,
                            "at",
                            Instant.now().plusSeconds(60).toString()))
                    .post("/api/environments/sched-dev/scheduled-deploys")
                    .then()
                    .statusCode(409)
                    .body("detail", containsString("would be inside freeze #" + freeze));
        } finally {
            Api.asRole("lead").delete("/api/freezes/" + freeze).then().statusCode(204);
        }
    }

    @Test
    void onlyItsRequesterALeadOrAnAdminCancelsItAndBadTimesAreRefused() {
        long release = Jobs.versionOnlyRelease("sched-3");
        long id = schedule(release, Instant.now().plusSeconds(3600), null);
        Api.ensureUser("sched-other", "developer");

        Api.as("sched-other", Api.USER_PASSWORD)
                .delete("/api/scheduled-deploys/" + id)
                .then()
                .statusCode(403);
        Api.asRole("developer").delete("/api/scheduled-deploys/" + id).then().statusCode(204);
        Api.asRole("developer")
                .delete("/api/scheduled-deploys/" + id)
                .then()
                .statusCode(409)
                .body("detail", containsString("already cancelled"));
        Api.asRole("developer")
                .body(Map.of(
                        "release", release, "at", Instant.now().minusSeconds(10).toString()))
                .post("/api/environments/sched-dev/scheduled-deploys")
                .then()
                .statusCode(400)
                .body("detail", containsString("at: expected a time in the future"));
    }

    @Test
    void toAProtectedEnvironmentItOpensTheApprovalsNowAndFiresOnlyWhenTheyAreInByItsTime() {
        Api.ensureUser("lead-user", "lead");
        long release = Jobs.versionOnlyRelease("sched-protected-1");
        JsonPath approvedInTime = Api.asRole("developer")
                .body(Map.of(
                        "release", release, "at", Instant.now().plusSeconds(10).toString()))
                .post("/api/environments/sched-protected/scheduled-deploys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        long promotion = approvedInTime.getLong("promotion");
        Api.asRole("lead")
                .post("/api/promotions/" + promotion + "/approve")
                .then()
                .statusCode(200)
                // Approved, but the deploy waits for its time.
                .body("state", equalTo("pending"))
                .body("approvals", equalTo(1))
                .body("job", org.hamcrest.Matchers.nullValue());

        JsonPath fired = settled("sched-protected", approvedInTime.getLong("id"));

        assertThat(fired.getString("state")).isEqualTo("fired");
        assertThat(fired.getString("outcome")).contains("of promotion #" + promotion);
        JsonPath job = Jobs.awaitFinished(fired.getLong("job"), Duration.ofMinutes(1));
        assertThat(job.getString("job.status")).isEqualTo("succeeded");
        assertThat(job.getString("job.requestedBy")).isEqualTo("developer-user");
        Api.asAdmin()
                .get("/api/promotions/" + promotion)
                .then()
                .body("promotion.state", equalTo("approved"))
                .body("promotion.job.id", equalTo(fired.getInt("job")));

        long unapproved = Api.asRole("developer")
                .body(Map.of(
                        "release",
                        Jobs.versionOnlyRelease("sched-protected-2"),
                        "at",
                        Instant.now().plusSeconds(3).toString()))
                .post("/api/environments/sched-protected/scheduled-deploys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath refused = settled("sched-protected", unapproved);
        assertThat(refused.getString("state")).isEqualTo("refused");
        assertThat(refused.getString("outcome"))
                .contains("had 0 of 1 approval(s) at its time")
                .contains("needs them all before it");
        Api.asAdmin()
                .get("/api/promotions/" + refused.getLong("promotion"))
                .then()
                .body("promotion.state", equalTo("cancelled"));
    }
}
