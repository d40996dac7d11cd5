package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.junit.jupiter.api.Test;

/** The environment and job pages without a browser: who sees which action, and what the server renders. */
@QuarkusTest
class JobPagesTest {

    private static final String SCRIPT = "<script>alert('owned')</script>";

    @Inject
    JobLogStore logs;

    @Test
    void aReviewerSeesNoDeployFormAndCannotPostIt() {
        Api.ensureUser("page-reviewer", "reviewer");
        String session = Api.loginCookie("page-reviewer", Api.USER_PASSWORD);

        String page = Api.page(session)
                .get("/environments/demo")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("Deployment history")
                .contains("Recent jobs")
                .doesNotContain("deploy-form")
                .doesNotContain("rollback-form");

        Api.formPost(session)
                .formParam("release", Jobs.latestRelease())
                .post("/environments/demo/deploy")
                .then()
                .statusCode(403);
        Api.formPost(session).post("/environments/demo/rollback").then().statusCode(403);
        Api.formPost(session).post("/environments/demo/retry-rollback").then().statusCode(403);
    }

    @Test
    void aDeveloperSeesTheDeployFormWithTheNewestReleaseSelected() {
        Api.ensureUser("page-developer", "developer");
        String session = Api.loginCookie("page-developer", Api.USER_PASSWORD);
        // Made here: the newest release of a whole run may be a preview's, which the form never preselects.
        long newest = Jobs.versionOnlyRelease("9.9.9-form");

        String page = Api.page(session)
                .get("/environments/demo")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("id=\"deploy-form\"").contains("<option value=\"" + newest + "\" selected>");
    }

    @Test
    void theJobPageEscapesLogLinesAndRendersTheTailWithoutScript() {
        long job = finishedJobWithLog(List.of("plain output", SCRIPT));
        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);

        String page = Api.page(session)
                .get("/jobs/" + job)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .doesNotContain(SCRIPT)
                .contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;")
                .contains("plain output")
                .contains("data-job=\"" + job + "\"")
                .contains("/api/jobs/" + job + "/log.txt");
        assertThat(page)
                .as("no inline script")
                .doesNotContain("<script>")
                .containsPattern("<script src=\"/js/job\\.js\\?v=[0-9a-f]{12}\" defer></script>");
    }

    @Test
    void aDegradedEnvironmentShowsEachHostsStateAndOffersRetryToDevelopersOnly() {
        long failedRollback = finishedJobWithLog(List.of("rollback could not reach webview"));
        setHealth("demo", failedRollback, "local: archive on release 3, webview unreachable");
        try {
            String admin = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
            String page = Api.page(admin)
                    .get("/environments/demo")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(page)
                    .contains("id=\"degraded\"")
                    .contains("local: archive on release 3, webview unreachable")
                    .contains("action=\"/environments/demo/retry-rollback\"")
                    .contains("href=\"/jobs/" + failedRollback + "\"");
            assertThat(Api.page(admin).get("/").then().statusCode(200).extract().asString())
                    .contains("degraded-warning");

            Api.ensureUser("page-reviewer", "reviewer");
            String reviewer = Api.loginCookie("page-reviewer", Api.USER_PASSWORD);
            assertThat(Api.page(reviewer)
                            .get("/environments/demo")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .contains("id=\"degraded\"")
                    .doesNotContain("retry-rollback");
        } finally {
            setHealth("demo", failedRollback, null);
        }
    }

    @Test
    void anUnknownJobIsNotFound() {
        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        Api.page(session).get("/jobs/987654321").then().statusCode(404);
    }

    private static void setHealth(String environment, long job, String degradedDetail) {
        QuarkusTransaction.requiringNew().run(() -> {
            Environment env = Environment.findByName(environment).orElseThrow();
            if (degradedDetail == null) {
                env.markHealthy();
            } else {
                env.markDegraded(job, degradedDetail);
            }
        });
    }

    /** A job that is already over (cancelled while queued, so no worker touches it) with the given log lines. */
    private long finishedJobWithLog(List<String> lines) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName("demo").orElseThrow().id, JobType.DEPLOY, null, "admin", "page test");
            job.cancel();
            job.persist();
            return job.id;
        });
        JobLog log = logs.open(id, List.of());
        lines.forEach(line -> log.append("local", "webview", "stdout", line));
        logs.close(log);
        return id;
    }
}
