package org.cnx.conveyor.clone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A developer's own clone: created and deployed, one per developer, data reset, torn down; others keep their hands off. */
@QuarkusTest
class CloneLifecycleTest {

    private static final Duration JOB = Duration.ofSeconds(120);
    private static final Path ROOT =
            Path.of("target", "test-data", "hosts", "dev-clone-owner").toAbsolutePath();

    @AfterAll
    static void stopAnyLeftOverStack() {
        SampleStack.stopAll(ROOT);
    }

    @Test
    void aDeveloperCreatesResetsAndTearsDownTheirCloneWithinTheQuota() {
        Api.ensureUser("clone-owner", "developer");
        Api.ensureUser("clone-neighbour", "developer");
        long release = Api.newestConveyorRelease();

        var created = owner().body(Map.of("release", release))
                .post("/api/clones")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(created.getString("environment")).isEqualTo("dev-clone-owner");
        assertThat(Jobs.awaitFinished(created.getLong("job"), JOB).getString("job.status"))
                .isEqualTo("succeeded");
        String url = owner().get("/api/clones")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.environment == 'dev-clone-owner' }.url");
        given().get(url).then().statusCode(200).body(containsString("Clone of clone-owner"));

        owner().body(Map.of("release", release))
                .post("/api/clones")
                .then()
                .statusCode(409)
                .body("detail", containsString("conveyor.clones.quota"));
        Api.as("clone-neighbour", Api.USER_PASSWORD)
                .post("/api/clones/dev-clone-owner/reset")
                .then()
                .statusCode(403);
        Api.as("clone-neighbour", Api.USER_PASSWORD)
                .delete("/api/clones/dev-clone-owner")
                .then()
                .statusCode(403);

        long reset = owner().post("/api/clones/dev-clone-owner/reset")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("job");
        assertThat(Jobs.awaitFinished(reset, JOB).getString("job.status")).isEqualTo("succeeded");
        assertThat(Jobs.rawLog(reset))
                .contains("dropped database conveyor_dev_clone_owner")
                .contains("migration(s) applied");

        long teardown = owner().delete("/api/clones/dev-clone-owner")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("job");
        assertThat(Jobs.awaitFinished(teardown, JOB).getString("job.status")).isEqualTo("succeeded");
        Api.asAdmin().get("/api/environments/dev-clone-owner").then().statusCode(404);
        assertThat(Files.exists(ROOT)).isFalse();
        assertThat(owner().get("/api/clones")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("environment"))
                .doesNotContain("dev-clone-owner");
    }

    @Test
    void aReviewerCannotCreateAClone() {
        Api.asRole("reviewer").body(Map.of()).post("/api/clones").then().statusCode(403);
        String cookie = Api.loginCookie("reviewer-user", Api.USER_PASSWORD);
        Api.formPost(cookie).post("/clones").then().statusCode(403);
    }

    private static RequestSpecification owner() {
        return Api.as("clone-owner", Api.USER_PASSWORD);
    }
}
