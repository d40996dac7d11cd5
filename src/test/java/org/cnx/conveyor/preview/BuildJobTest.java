package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Orphans;
import org.cnx.conveyor.release.ReleaseViews.Source;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds never run inside the webhook request: the delivery is answered while its build job waits (a build of a
 * {@code held/} branch waits for the file {@code go} that this test writes only after the answer), the build runs as
 * a job with a live log that the commit status links to, and a build whose Conveyor died is run again.
 */
@QuarkusTest
class BuildJobTest {

    private static final Path DATA = Path.of("target", "test-data").toAbsolutePath();
    /** How long GitHub waits for an answer before it gives a delivery up. */
    private static final Duration GITHUB_PATIENCE = Duration.ofSeconds(10);

    private static RecordingGitHub github;

    @BeforeAll
    static void startGitHub() {
        github = new RecordingGitHub();
    }

    @AfterAll
    static void stopGitHubAndStacks() {
        github.close();
        SampleStack.stopAll(DATA.resolve("hosts").resolve("pr-cnx-61"));
        SampleStack.stopAll(DATA.resolve("hosts").resolve("demo"));
    }

    @Test
    void aDeliveryIsAnsweredBeforeItsBuildRunsAndTheBuildMayTakeLongerThanGitHubWaits() throws IOException {
        String sha = GitHub.sha(6101);
        long sent = System.nanoTime();
        JsonPath answer = GitHub.deliver("pull_request", GitHub.pullRequest("opened", 61, "held/slow-build", sha))
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - sent);
        long build = answer.getLong("job");
        assertThat(Jobs.status(build))
                .as("the build cannot have ended: it waits for a file written only after the answer")
                .isIn("queued", "running");
        System.out.printf(
                "GitHub delivery answered with 202 in %d ms; its build job %d had not ended%n",
                answeredIn.toMillis(), build);

        Wait.until(
                "the build to wait in its sandbox",
                Duration.ofSeconds(60),
                () -> Jobs.rawLog(build).contains("waiting for ../go"));
        JsonPath running = Api.asAdmin()
                .get("/api/jobs/" + build)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Instant started = Instant.parse(running.getString("job.startedAt"));
        assertThat(running.getString("job.type")).isEqualTo("build");
        Wait.until(
                "the build to run longer than GitHub waits for an answer",
                GITHUB_PATIENCE.plusSeconds(30),
                () -> Duration.between(started, Instant.now()).compareTo(GITHUB_PATIENCE) > 0);
        Files.writeString(SandboxBuild.root(build).resolve("go"), "");

        JsonPath ready = PreviewRepositoriesTest.awaitPreview("openstax/cnx", 61, "ready");
        assertThat(Jobs.status(build)).isEqualTo("succeeded");
        assertThat(ready.getLong("job"))
                .as("the preview follows the deploy its build queued")
                .isNotEqualTo(build);
        assertThat(Files.exists(SandboxBuild.root(build)))
                .as("the build's sandbox is removed")
                .isFalse();
        assertThat(Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                        .get("/jobs/" + build)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .as("the build's job page, where the commit status leads")
                .contains("build");
        assertThat(Jobs.rawLog(build)).contains("waiting for ../go").contains("built; deploying it to pr-cnx-61");
        List<RecordingGitHub.Status> statuses = Wait.until(
                "the build's and the deploy's statuses",
                Duration.ofSeconds(30),
                () -> github.forCommit(sha).size() >= 3 ? github.forCommit(sha) : null);
        assertThat(statuses.get(0).state()).isEqualTo("pending");
        assertThat(statuses.get(0).targetUrl())
                .as("GitHub links to the build's live log")
                .isEqualTo("http://conveyor.test/jobs/" + build);
        assertThat(statuses.get(2).state()).isEqualTo("success");

        GitHub.deliver("pull_request", GitHub.pullRequest("closed", 61, "held/slow-build", sha))
                .then()
                .statusCode(202);
        PreviewRepositoriesTest.awaitPreview("openstax/cnx", 61, "torn-down");
    }

    @Test
    void aBuildCancelledWhileItRunsMakesNoReleaseAndFailsItsPreview() throws IOException {
        String sha = GitHub.sha(6301);
        long build = GitHub.deliver("pull_request", GitHub.pullRequest("opened", 63, "held/cancelled", sha))
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("job");
        Wait.until(
                "the build to wait in its sandbox",
                Duration.ofSeconds(60),
                () -> Jobs.rawLog(build).contains("waiting for ../go"));
        Api.asAdmin().post("/api/jobs/" + build + "/cancel").then().statusCode(200);
        Files.writeString(SandboxBuild.root(build).resolve("go"), "");

        assertThat(Jobs.awaitFinished(build, Duration.ofSeconds(120)).getString("job.status"))
                .isEqualTo("cancelled");
        assertThat(Jobs.rawLog(build)).contains("cancelled: the build's release is not made");
        JsonPath failed = PreviewRepositoriesTest.awaitPreview("openstax/cnx", 63, "failed");
        assertThat(failed.getString("error")).contains("build job " + build + " ended cancelled");
        assertThat(failed.get("release") == null).as("no release was made").isTrue();

        GitHub.deliver("pull_request", GitHub.pullRequest("closed", 63, "held/cancelled", sha))
                .then()
                .statusCode(202);
        PreviewRepositoriesTest.awaitPreview("openstax/cnx", 63, "torn-down");
    }

    @Test
    void aBuildWhoseConveyorDiedIsBuiltAgainAfterWhatItLeftIsRemoved() throws IOException {
        String sha = GitHub.sha(6201);
        long job = QuarkusTransaction.requiringNew().call(() -> {
            Job orphan = Job.queue(
                    Environment.findByName("demo").orElseThrow().id,
                    JobType.BUILD,
                    null,
                    PreviewService.ACTOR,
                    "build of a Conveyor that was killed");
            orphan.start("a-killed-instance", Instant.now().minusSeconds(60));
            orphan.persist();
            Build build = Build.of(new Source("main", sha, null, "openstax/cnx"), List.of(), null);
            build.jobId = orphan.id;
            build.persist();
            return orphan.id;
        });
        Path leftOver = Files.createDirectories(SandboxBuild.root(job).resolve("out"));
        Files.writeString(leftOver.resolve("half-written.tar.gz"), "partial");

        Orphans.recoverNow();

        JsonPath finished = Jobs.awaitFinished(job, Duration.ofSeconds(120));
        assertThat(finished.getString("job.status")).isEqualTo("succeeded");
        String log = Jobs.rawLog(job);
        assertThat(log).contains("recovering: the Conveyor running this build stopped; building again");
        assertThat(log).contains("release ").contains("built; deploying it to demo");
        assertThat(Files.exists(SandboxBuild.root(job)))
                .as("what the dead build left is removed")
                .isFalse();
        Build done =
                QuarkusTransaction.requiringNew().call(() -> Build.forJob(job).orElseThrow());
        assertThat(done.releaseId).isNotNull();
        assertThat(Jobs.awaitFinished(done.deployJobId, Duration.ofSeconds(120)).getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(PreviewRepositoriesTest.release(done.releaseId).getString("source.commit"))
                .isEqualTo(sha);
    }
}
