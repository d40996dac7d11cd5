package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Continuous deployment: a push to main becomes a release that is deployed to the dev environment. */
@QuarkusTest
class GitHubPushTest {

    @AfterAll
    static void stopTheDemoStack() {
        SampleStack.stopAll(Path.of("target", "test-data", "hosts", "demo").toAbsolutePath());
    }

    @Test
    void aPushToMainIsReleasedAndDeployedToDev() {
        String sha = GitHub.sha(7001);
        JsonPath answer = GitHub.deliver("push", GitHub.push("main", GitHub.sha(7000), sha))
                .then()
                .statusCode(202)
                .body("outcome", containsString("building openstax/cnx main at " + sha.substring(0, 12) + " for demo"))
                .extract()
                .jsonPath();
        JsonPath build = Jobs.awaitFinished(answer.getLong("job"), Duration.ofSeconds(120));
        assertThat(build.getString("job.status")).isEqualTo("succeeded");
        assertThat(build.getString("job.type")).isEqualTo("build");
        Matcher numbers = Pattern.compile("release (\\d+) built; deploying it to demo \\(job (\\d+)\\)")
                .matcher(Jobs.rawLog(answer.getLong("job")));
        assertThat(numbers.find())
                .as("the build's log names its release and deploy")
                .isTrue();
        long release = Long.parseLong(numbers.group(1));

        JsonPath created = Api.asAdmin()
                .get("/api/releases/" + release)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(created.getString("source.branch")).isEqualTo("main");
        assertThat(created.getString("source.commit")).isEqualTo(sha);
        assertThat(created.getString("source.repository")).isEqualTo("openstax/cnx");
        assertThat(created.getString("source.committedAt"))
                .as("head_commit.timestamp, for DORA's lead time")
                .isEqualTo("2026-11-28T15:12:44Z");
        assertThat(created.getString("createdBy")).isEqualTo("github");
        assertThat(Jobs.awaitFinished(Long.parseLong(numbers.group(2)), Duration.ofSeconds(120))
                        .getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(Api.asAdmin()
                        .get("/api/environments/demo")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("summary.currentRelease"))
                .isEqualTo(release);
    }

    @Test
    void aPushToAnotherBranchIsIgnored() {
        GitHub.deliver("push", GitHub.push("feature/x", GitHub.sha(7100), GitHub.sha(7101)))
                .then()
                .statusCode(202)
                .body("outcome", containsString("ignored"));
    }
}
