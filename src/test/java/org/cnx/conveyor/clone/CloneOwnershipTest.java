package org.cnx.conveyor.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dev-<someone>} is that developer's: another developer is refused on every path that starts or stops a job
 * there (the environments API, the page forms, not only {@code /api/clones}), and nothing is queued.
 */
@QuarkusTest
class CloneOwnershipTest {

    private static final String CLONE = "dev-own-owner";
    private static long release;

    /** A clone of own-owner on an instant environment, so the test needs no template and no sandbox. */
    @BeforeEach
    void aCloneOfOwnOwner() {
        Api.ensureUser("own-owner", "developer");
        Api.ensureUser("own-intruder", "developer");
        if (release != 0) {
            return;
        }
        TestEnvironments.writeInstant(CLONE, "dev", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> Clone.of("own-owner", CLONE).persist());
        release = Jobs.versionOnlyRelease("own-1");
    }

    private static int jobsOfTheClone() {
        return Api.asAdmin()
                .get("/api/environments/" + CLONE + "/jobs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id")
                .size();
    }

    @Test
    void anotherDeveloperCannotDeployRollBackOrRetryThroughTheEnvironmentsApi() {
        int before = jobsOfTheClone();
        var intruder = Api.as("own-intruder", Api.USER_PASSWORD);
        intruder.body(Map.of("release", release))
                .post("/api/environments/" + CLONE + "/deployments")
                .then()
                .statusCode(403)
                .body("detail", containsString("belongs to own-owner"));
        Api.as("own-intruder", Api.USER_PASSWORD)
                .post("/api/environments/" + CLONE + "/rollback")
                .then()
                .statusCode(403);
        Api.as("own-intruder", Api.USER_PASSWORD)
                .post("/api/environments/" + CLONE + "/retry-rollback")
                .then()
                .statusCode(403);
        Api.as("own-intruder", Api.USER_PASSWORD)
                .body(Map.of("release", release))
                .post("/api/clones/" + CLONE + "/deployments")
                .then()
                .statusCode(403);
        assertThat(jobsOfTheClone()).isEqualTo(before);
    }

    @Test
    void anotherDeveloperCannotDeployThroughThePageForm() {
        int before = jobsOfTheClone();
        String intruder = Api.loginCookie("own-intruder", Api.USER_PASSWORD);
        Api.formPost(intruder)
                .formParam("release", release)
                .post("/environments/" + CLONE + "/deploy")
                .then()
                .statusCode(403);
        Api.formPost(intruder)
                .formParam("confirmed", "yes") // the page would ask first (web.ConfirmStep)
                .post("/environments/" + CLONE + "/rollback")
                .then()
                .statusCode(403);
        Api.formPost(intruder)
                .formParam("release", release)
                .post("/clones/" + CLONE + "/deploy")
                .then()
                .statusCode(403);
        assertThat(jobsOfTheClone()).isEqualTo(before);
    }

    @Test
    void theOwnerAndAnAdminDeployWhileAnotherDeveloperCannotCancel() {
        long owners = Api.as("own-owner", Api.USER_PASSWORD)
                .body(Map.of("release", release))
                .post("/api/environments/" + CLONE + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.awaitFinished(owners, Duration.ofMinutes(1));
        long admins = Api.asAdmin()
                .body(Map.of("release", release))
                .post("/api/environments/" + CLONE + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.awaitFinished(admins, Duration.ofMinutes(1));

        long running = runningJobHeldElsewhere();
        try {
            intruderCannotCancelButTheOwnerCan(running);
        } finally {
            QuarkusTransaction.requiringNew()
                    .run(() -> Job.<Job>findById(running).stopCancelled("test over"));
        }
    }

    private static void intruderCannotCancelButTheOwnerCan(long running) {
        Api.as("own-intruder", Api.USER_PASSWORD)
                .post("/api/jobs/" + running + "/cancel")
                .then()
                .statusCode(403);
        Api.formPost(Api.loginCookie("own-intruder", Api.USER_PASSWORD))
                .formParam("confirmed", "yes") // the page would ask first (web.ConfirmStep)
                .post("/jobs/" + running + "/cancel")
                .then()
                .statusCode(403);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(running).cancelRequested))
                .isFalse();

        Api.as("own-owner", Api.USER_PASSWORD)
                .post("/api/jobs/" + running + "/cancel")
                .then()
                .statusCode(200);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(running).cancelRequested))
                .isTrue();
    }

    /** A running deploy whose lease another instance holds, so no worker here finishes it during the test. */
    private static long runningJobHeldElsewhere() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(CLONE).orElseThrow().id, JobType.DEPLOY, release, "own-owner", "held");
            job.start("another-instance", Instant.now().plus(1, ChronoUnit.HOURS));
            job.persist();
            return job.id;
        });
    }
}
