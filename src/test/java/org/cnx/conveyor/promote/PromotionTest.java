package org.cnx.conveyor.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A release moves dev → staging → production; production is protected and needs two leads. */
@QuarkusTest
class PromotionTest {

    private static final Duration JOB = Duration.ofMinutes(2);

    @BeforeEach
    void definePipeline() {
        TestEnvironments.writeInstant("promo-dev", "dev", 0);
        TestEnvironments.writeInstant("promo-staging", "staging", 0);
        TestEnvironments.writeInstant("promo-prod", "production", 2);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        for (String lead : List.of("lead-ann", "lead-bob", "lead-cat")) {
            Api.ensureUser(lead, "lead");
        }
        Api.ensureUser("dev-dan", "developer");
    }

    private static JsonPath request(String user, long release, String environment, int status) {
        return Api.as(user, Api.USER_PASSWORD)
                .body(Map.of("release", release, "environment", environment))
                .post("/api/promotions")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static JsonPath approve(String lead, long promotion, int status) {
        return Api.as(lead, Api.USER_PASSWORD)
                .post("/api/promotions/" + promotion + "/approve")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    /** Deploys the release to dev directly, then promotes it to staging and waits for that deploy. */
    private static long throughStaging(String version) {
        long release = Jobs.versionOnlyRelease(version);
        Jobs.awaitFinished(Jobs.deploy("promo-dev", release), JOB);
        JsonPath staging = request("dev-dan", release, "promo-staging", 201);
        Jobs.awaitFinished(staging.getLong("job.id"), JOB);
        return release;
    }

    @Test
    void promotionToAStageWhosePreviousStageNeverSucceededIsRefusedNamingTheStage() {
        long release = Jobs.versionOnlyRelease("0.1");
        request("dev-dan", release, "promo-prod", 409).getString("detail");
        assertThat(request("dev-dan", release, "promo-prod", 409).getString("detail"))
                .contains("release " + release)
                .contains("\"staging\"")
                .contains("deploy it there first");
        assertThat(request("dev-dan", release, "promo-staging", 409).getString("detail"))
                .contains("\"dev\"");
    }

    @Test
    void aReleaseBuiltFromAPullRequestIsRefusedByTheGateEvenAfterSucceedingInDev() {
        long fromPullRequest = Api.asAdmin()
                .body(Map.of(
                        "components",
                        Map.of("app", Map.of("version", "2.0-pr")),
                        "source",
                        Map.of(
                                "branch",
                                "feature/bold",
                                "commit",
                                "abcdef1",
                                "pullRequest",
                                2,
                                "repository",
                                "openstax/webview")))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        assertThat(Jobs.awaitFinished(Jobs.deploy("promo-dev", fromPullRequest), JOB)
                        .getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(request("dev-dan", fromPullRequest, "promo-staging", 409).getString("detail"))
                .contains("release " + fromPullRequest + " was built from pull request openstax/webview#2")
                .contains("gate of \"staging\"")
                .contains("Merge the pull request");

        long merged = Jobs.versionOnlyRelease("2.0");
        String session = Api.loginCookie("dev-dan", Api.USER_PASSWORD);
        String deployForm = Api.page(session)
                .get("/environments/promo-dev")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(deployForm)
                .as("the deploy form offers the pull request's release without choosing it")
                .contains("pull request openstax/webview#2")
                .containsPattern("<option value=\"" + merged + "\" selected>")
                .doesNotContainPattern("<option value=\"" + fromPullRequest + "\" selected>");
        assertThat(Api.page(session)
                        .get("/releases/" + fromPullRequest + "/promote")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .as("the promote form of the pull request's release preselects no environment")
                .contains("id=\"pull-request-release\"")
                .contains("<option value=\"\" disabled selected>Choose an environment</option>");
    }

    @Test
    void anUnprotectedStageDeploysAtOnceAndTheHistoryLinksBackToThePromotion() {
        long release = Jobs.versionOnlyRelease("1.0");
        Jobs.awaitFinished(Jobs.deploy("promo-dev", release), JOB);

        JsonPath promotion = request("dev-dan", release, "promo-staging", 201);
        assertThat(promotion.getString("state")).isEqualTo("approved");
        long job = promotion.getLong("job.id");
        assertThat(Jobs.awaitFinished(job, JOB).getString("job.status")).isEqualTo("succeeded");

        JsonPath history = Api.asAdmin()
                .get("/api/environments/promo-staging/history")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(history.getLong("[0].job")).isEqualTo(job);
        assertThat(history.getLong("[0].promotion")).isEqualTo(promotion.getLong("id"));
        String page = Api.page(Api.loginCookie("dev-dan", Api.USER_PASSWORD))
                .get("/environments/promo-staging")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("href=\"/promotions/" + promotion.getLong("id") + "\"");
    }

    @Test
    void aProtectedEnvironmentDeploysOnlyAfterTheSecondApprovalFromLeadsOtherThanTheRequester() {
        long release = throughStaging("2.0");
        JsonPath requested = request("lead-ann", release, "promo-prod", 201);
        long id = requested.getLong("id");
        assertThat(requested.getString("state")).isEqualTo("pending");
        assertThat(requested.getInt("approvalsRequired")).isEqualTo(2);

        assertThat(approve("lead-ann", id, 403).getString("detail")).contains("another lead must approve");
        Api.as("dev-dan", Api.USER_PASSWORD)
                .post("/api/promotions/" + id + "/approve")
                .then()
                .statusCode(403);
        List<Long> waitingForBob = Api.as("lead-bob", Api.USER_PASSWORD)
                .get("/api/promotions/waiting")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        assertThat(waitingForBob).contains(id);

        JsonPath first = approve("lead-bob", id, 200);
        assertThat(first.getString("state")).isEqualTo("pending");
        assertThat(first.getInt("approvals")).isEqualTo(1);
        assertThat((Object) first.get("job")).isNull();
        approve("lead-bob", id, 409);
        assertThat(Api.as("lead-bob", Api.USER_PASSWORD)
                        .get("/api/promotions/waiting")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .doesNotContain(id);

        JsonPath second = approve("lead-cat", id, 200);
        assertThat(second.getString("state")).isEqualTo("approved");
        long job = second.getLong("job.id");
        assertThat(Jobs.awaitFinished(job, JOB).getString("job.status")).isEqualTo("succeeded");
        Api.asAdmin()
                .get("/api/environments/promo-prod")
                .then()
                .statusCode(200)
                .body("summary.currentRelease", equalTo((int) release));
        assertThat(Api.asAdmin()
                        .get("/api/environments/promo-prod/history")
                        .then()
                        .extract()
                        .jsonPath()
                        .getLong("[0].promotion"))
                .isEqualTo(id);
    }

    @Test
    void anExpiredApprovalDoesNotCountUntilItIsGivenAgain() {
        long release = throughStaging("3.0");
        long id = request("dev-dan", release, "promo-prod", 201).getLong("id");
        approve("lead-ann", id, 200);
        QuarkusTransaction.requiringNew()
                .run(() -> Approval.update(
                        "approvedAt = ?1 where promotionId = ?2 and approver = ?3",
                        Instant.now().minus(Duration.ofHours(25)),
                        id,
                        "lead-ann"));

        JsonPath afterBob = approve("lead-bob", id, 200);
        assertThat(afterBob.getString("state")).isEqualTo("pending");
        assertThat(afterBob.getInt("approvals")).isEqualTo(1);
        assertThat(Api.asAdmin()
                        .get("/api/promotions/" + id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getBoolean("approvals.find { it.approver == 'lead-ann' }.expired"))
                .isTrue();

        JsonPath renewed = approve("lead-ann", id, 200);
        assertThat(renewed.getString("state")).isEqualTo("approved");
        Jobs.awaitFinished(renewed.getLong("job.id"), JOB);
    }

    @Test
    void aRejectionStopsThePromotionAndRecordsTheReason() {
        long release = throughStaging("4.0");
        long id = request("dev-dan", release, "promo-prod", 201).getLong("id");
        Api.as("lead-ann", Api.USER_PASSWORD)
                .body(Map.of("reason", " "))
                .post("/api/promotions/" + id + "/reject")
                .then()
                .statusCode(400)
                .body("detail", containsString("reason"));
        Api.as("dev-dan", Api.USER_PASSWORD)
                .body(Map.of("reason", "mine"))
                .post("/api/promotions/" + id + "/reject")
                .then()
                .statusCode(403);

        Api.as("lead-ann", Api.USER_PASSWORD)
                .body(Map.of("reason", "wait for the data fix"))
                .post("/api/promotions/" + id + "/reject")
                .then()
                .statusCode(200)
                .body("state", equalTo("rejected"))
                .body("rejectionReason", equalTo("wait for the data fix"))
                .body("decidedBy", equalTo("lead-ann"));
        approve("lead-bob", id, 409);
        assertThat(Api.asAdmin()
                        .get("/api/promotions?state=rejected")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id", Long.class))
                .contains(id);
        JsonPath audit = Api.asAdmin()
                .queryParam("subject", "promotions/" + id)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(audit.getList("action", String.class)).contains("promotion.requested", "promotion.rejected");
        assertThat(audit.getList("detail", String.class)).contains("wait for the data fix");
    }

    @Test
    void directDeploysToAProtectedEnvironmentAreRefusedButALeadMayRollItBackInAnEmergency() {
        long first = throughStaging("5.0");
        long id = request("dev-dan", first, "promo-prod", 201).getLong("id");
        approve("lead-ann", id, 200);
        Jobs.awaitFinished(approve("lead-bob", id, 200).getLong("job.id"), JOB);
        long second = throughStaging("5.1");
        long id2 = request("dev-dan", second, "promo-prod", 201).getLong("id");
        approve("lead-ann", id2, 200);
        Jobs.awaitFinished(approve("lead-cat", id2, 200).getLong("job.id"), JOB);

        Api.asAdmin()
                .body(Map.of("release", first))
                .post("/api/environments/promo-prod/deployments")
                .then()
                .statusCode(403)
                .body("detail", containsString("protected"))
                .body("detail", containsString("promotion"));
        Api.as("dev-dan", Api.USER_PASSWORD)
                .post("/api/environments/promo-prod/rollback")
                .then()
                .statusCode(403)
                .body("detail", containsString("only a lead"));

        long rollback = Api.as("lead-cat", Api.USER_PASSWORD)
                .post("/api/environments/promo-prod/rollback")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath done = Jobs.awaitFinished(rollback, JOB);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        assertThat(done.getString("job.reason")).startsWith("emergency rollback");
        List<String> actions = Api.asAdmin()
                .queryParam("subject", "environments/promo-prod")
                .queryParam("actor", "lead-cat")
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("action", String.class);
        assertThat(actions).contains("rollback.emergency");
    }

    @Test
    void theApprovalPageShowsTheLeadWhatChangesAndWhereTheReleaseRan() {
        long live = throughStaging("6.0");
        long liveId = request("dev-dan", live, "promo-prod", 201).getLong("id");
        approve("lead-ann", liveId, 200);
        Jobs.awaitFinished(approve("lead-bob", liveId, 200).getLong("job.id"), JOB);
        long release = throughStaging("6.1");
        String requester = Api.loginCookie("dev-dan", Api.USER_PASSWORD);
        assertThat(Api.page(requester)
                        .get("/releases/" + release)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("href=\"/releases/" + release + "/promote\"");
        assertThat(Api.page(requester)
                        .get("/releases/" + release + "/promote")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("<option value=\"promo-prod\">");
        String location = Api.formPost(requester)
                .formParam("environment", "promo-prod")
                .formParam("note", "search fix")
                .post("/releases/" + release + "/promote")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        long id = Long.parseLong(location.replaceAll(".*/promotions/(\\d+).*", "$1"));

        String lead = Api.loginCookie("lead-cat", Api.USER_PASSWORD);
        String queue = Api.page(lead)
                .get("/approvals")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(queue).contains("href=\"/promotions/" + id + "\"");
        String page = Api.page(lead)
                .get("/promotions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("dev-dan")
                .contains("search fix")
                .contains("approve-form")
                .contains("reject-form")
                .contains("promo-dev")
                .contains("promo-staging")
                .contains("<td>6.0</td><td>6.1</td><td>upgrade</td>");

        Api.formPost(lead).post("/promotions/" + id + "/approve").then().statusCode(303);
        String own = Api.page(requester)
                .get("/promotions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(own).contains("1 of 2").doesNotContain("approve-form");
        Api.formPost(requester).post("/promotions/" + id + "/approve").then().statusCode(403);
    }
}
