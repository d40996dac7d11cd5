package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A developer cannot stop a deploy the leads approved for a protected environment; every cancel is audited. */
@QuarkusTest
class CancelPermissionTest {

    private static long release;

    @BeforeEach
    void aProtectedAndAnOpenEnvironment() {
        Api.ensureUser("cancel-dev", "developer");
        Api.ensureUser("cancel-lead", "lead");
        if (release != 0) {
            return;
        }
        TestEnvironments.writeInstant("cancel-prod", "production", 1);
        TestEnvironments.writeInstant("cancel-open", "dev", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        release = Jobs.versionOnlyRelease("cancel-1");
    }

    @Test
    void aDeveloperCannotCancelALeadApprovedProductionDeployOnAnyPath() {
        long approved = runningDeploy("cancel-prod", 4242L);
        Api.as("cancel-dev", Api.USER_PASSWORD)
                .post("/api/jobs/" + approved + "/cancel")
                .then()
                .statusCode(403)
                .body("detail", containsString("only a lead may cancel"));
        Api.formPost(Api.loginCookie("cancel-dev", Api.USER_PASSWORD))
                .formParam("confirmed", "yes") // the page would ask first (web.ConfirmStep)
                .post("/jobs/" + approved + "/cancel")
                .then()
                .statusCode(403);
        assertThat(cancelRequested(approved)).isFalse();
        assertThat(cancelAudits(approved)).isEqualTo(0);

        Api.as("cancel-lead", Api.USER_PASSWORD)
                .post("/api/jobs/" + approved + "/cancel")
                .then()
                .statusCode(200);
        assertThat(cancelRequested(approved)).isTrue();
        assertThat(cancelAudits(approved)).isEqualTo(1);
    }

    @Test
    void aDevelopersCancelOnAnOpenEnvironmentIsAuditedWithWhoAndWhich() {
        long job = runningDeploy("cancel-open", null);
        Api.formPost(Api.loginCookie("cancel-dev", Api.USER_PASSWORD))
                .formParam("confirmed", "yes") // the page would ask first (web.ConfirmStep)
                .post("/jobs/" + job + "/cancel")
                .then()
                .statusCode(303);
        assertThat(cancelRequested(job)).isTrue();
        String audit = Api.asAdmin()
                .queryParam("action", "job.cancelled")
                .queryParam("subject", "environments/cancel-open")
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(audit).contains("\"actor\":\"cancel-dev\"").contains("job #" + job + " (deploy)");
    }

    private static long cancelAudits(long job) {
        return Api.asAdmin()
                .queryParam("action", "job.cancelled")
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("detail", String.class)
                .stream()
                .filter(d -> d.startsWith("job #" + job + " "))
                .count();
    }

    @org.junit.jupiter.api.AfterEach
    void stopTheHeldJobs() {
        QuarkusTransaction.requiringNew()
                .run(() -> Job.<Job>list("status = 'running' and leaseOwner = 'another-instance'")
                        .forEach(job -> job.stopCancelled("test over")));
    }

    private static boolean cancelRequested(long job) {
        return QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(job).cancelRequested);
    }

    /** A running deploy (started by a promotion when {@code promotion} is set) whose lease another instance holds. */
    private static long runningDeploy(String environment, Long promotion) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(environment).orElseThrow().id,
                    JobType.DEPLOY,
                    release,
                    "cancel-lead",
                    promotion == null ? null : "promotion #" + promotion);
            job.promotionId = promotion;
            job.start("another-instance", Instant.now().plus(1, ChronoUnit.HOURS));
            job.persist();
            return job.id;
        });
    }
}
