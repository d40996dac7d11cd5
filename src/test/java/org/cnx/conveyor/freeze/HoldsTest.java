package org.cnx.conveyor.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Freeze windows and locks refuse deploys with a message saying by what and until when; rollbacks always pass. */
@QuarkusTest
class HoldsTest {

    private static final Duration JOB = Duration.ofMinutes(1);

    private static boolean defined;

    @BeforeEach
    void environments() {
        if (defined) {
            return;
        }
        defined = true;
        TestEnvironments.writeInstant("hold-frozen", "dev", 0);
        TestEnvironments.writeInstant("hold-locked", "dev", 0);
        TestEnvironments.writeInstant("hold-stage", "staging", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @AfterAll
    static void cleanUp() {
        TestEnvironments.delete("hold-frozen.yml");
        TestEnvironments.delete("hold-locked.yml");
        TestEnvironments.delete("hold-stage.yml");
    }

    private static void deployed(String env, long release) {
        assertThat(Jobs.awaitFinished(Jobs.deploy(env, release), JOB).getString("job.status"))
                .isEqualTo("succeeded");
    }

    @Test
    void insideAFreezeDeploysAreRefusedALeadMayOverrideWithAReasonAndRollbacksStillWork() {
        long first = Jobs.versionOnlyRelease("hold-1");
        long second = Jobs.versionOnlyRelease("hold-2");
        deployed("hold-frozen", first);
        deployed("hold-frozen", second);
        long freeze = Api.asRole("lead")
                .body(Map.of(
                        "environment",
                        "hold-frozen",
                        "from",
                        Instant.now().minusSeconds(60).toString(),
                        "to",
                        Instant.now().plusSeconds(3600).toString(),
                        "reason",
                        "textbook launch"))
                .post("/api/freezes")
                .then()
                .statusCode(201)
                .body("activeUntil", org.hamcrest.Matchers.notNullValue())
                .extract()
                .jsonPath()
                .getLong("id");

        Api.asAdmin()
                .body(Map.of("release", first))
                .post("/api/environments/hold-frozen/deployments")
                .then()
                .statusCode(409)
                .body("detail", containsString("deploys to hold-frozen are frozen by freeze #" + freeze))
                .body("detail", containsString("textbook launch"))
                .body("detail", containsString("until "));
        Api.asRole("developer")
                .body(Map.of("release", first, "freezeOverride", "I am sure"))
                .post("/api/environments/hold-frozen/deployments")
                .then()
                .statusCode(403)
                .body("detail", containsString("only a lead may override"));

        long rollback = Jobs.rollback("hold-frozen");
        assertThat(Jobs.awaitFinished(rollback, JOB).getString("job.status")).isEqualTo("succeeded");

        long overridden = Api.asRole("lead")
                .body(Map.of("release", second, "freezeOverride", "security fix for CVE-2026-1"))
                .post("/api/environments/hold-frozen/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        assertThat(Jobs.awaitFinished(overridden, JOB).getString("job.reason"))
                .isEqualTo("freeze overridden: security fix for CVE-2026-1");
        Api.asAdmin()
                .get("/api/audit?action=freeze.overridden")
                .then()
                .statusCode(200)
                .body("detail", hasItem(containsString("security fix for CVE-2026-1")));

        Api.asRole("lead").delete("/api/freezes/" + freeze).then().statusCode(204);
        deployed("hold-frozen", first);
    }

    @Test
    void aRecurringFreezeOfAStageHoldsEveryEnvironmentOfItAndBadWindowsAreRefusedNamingTheField() {
        long always = Api.asRole("lead")
                .body(Map.of("stage", "staging", "cron", "* * * * *", "duration", "2h", "reason", "always frozen"))
                .post("/api/freezes")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        try {
            Api.asAdmin()
                    .body(Map.of("release", Jobs.versionOnlyRelease("hold-stage-1")))
                    .post("/api/environments/hold-stage/deployments")
                    .then()
                    .statusCode(409)
                    .body("detail", containsString("stage staging"));
        } finally {
            // Other tests deploy to staging environments.
            Api.asRole("lead").delete("/api/freezes/" + always).then().statusCode(204);
        }

        Api.asRole("lead")
                .body(Map.of("stage", "staging", "cron", "every friday", "duration", "2h", "reason", "x"))
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .body("detail", containsString("cron: expected five fields"));
        Api.asRole("lead")
                .body(Map.of("stage", "nowhere", "cron", "0 16 * * 5", "duration", "2h", "reason", "x"))
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .body("detail", containsString("stage: expected one of"));
        Api.asRole("lead")
                .body(Map.of("environment", "hold-stage", "cron", "0 16 * * 5", "duration", "forever", "reason", "x"))
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .body("detail", containsString("duration: expected a number and m, h or d"));
        Api.asRole("developer")
                .body(Map.of("stage", "staging", "cron", "0 16 * * 5", "duration", "2h", "reason", "x"))
                .post("/api/freezes")
                .then()
                .statusCode(403);
    }

    @Test
    void aLockRefusesDeploysUntilItsAuthorOrALeadLiftsItAndShowsOnTheEnvironmentPage() {
        Api.ensureUser("locker", "developer");
        Api.ensureUser("other-dev", "developer");
        Api.as("locker", Api.USER_PASSWORD)
                .body(Map.of("reason", "investigating a data problem"))
                .put("/api/environments/hold-locked/lock")
                .then()
                .statusCode(200)
                .body("lockedBy", equalTo("locker"));

        Api.asAdmin()
                .body(Map.of("release", Jobs.versionOnlyRelease("hold-locked-1")))
                .post("/api/environments/hold-locked/deployments")
                .then()
                .statusCode(409)
                .body("detail", containsString("is locked by locker"))
                .body("detail", containsString("investigating a data problem"));
        Api.as("other-dev", Api.USER_PASSWORD)
                .delete("/api/environments/hold-locked/lock")
                .then()
                .statusCode(403)
                .body("detail", containsString("only locker"));
        Api.as("other-dev", Api.USER_PASSWORD)
                .body(Map.of("reason", "mine now"))
                .put("/api/environments/hold-locked/lock")
                .then()
                .statusCode(409);
        Api.asRole("developer")
                .body(Map.of(
                        "reason",
                        "x",
                        "expiresAt",
                        Instant.now().minusSeconds(5).toString()))
                .put("/api/environments/hold-locked/lock")
                .then()
                .statusCode(400)
                .body("detail", containsString("expiresAt"));
        Api.asAdmin()
                .accept("text/html")
                .get("/environments/hold-locked")
                .then()
                .statusCode(200)
                .body(containsString("Locked by locker"));

        Api.asRole("lead").delete("/api/environments/hold-locked/lock").then().statusCode(204);
        Api.asAdmin().get("/api/environments/hold-locked/lock").then().statusCode(404);
        deployed("hold-locked", Jobs.versionOnlyRelease("hold-locked-2"));
    }
}
