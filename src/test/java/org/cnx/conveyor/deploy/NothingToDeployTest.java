package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A release none of whose components an environment runs is refused, rather than "succeeding" with nothing done. */
@QuarkusTest
class NothingToDeployTest {

    private static final Duration JOB = Duration.ofMinutes(2);

    @BeforeEach
    void defineEnvironments() {
        TestEnvironments.writeInstant("empty-dev", "dev", 0);
        TestEnvironments.writeInstant("empty-staging", "staging", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Api.ensureUser("dev-eve", "developer");
    }

    private static long unknownComponentRelease() {
        return Api.asAdmin()
                .body(Map.of("components", Map.of("archive", Map.of("version", "1.0"))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static org.hamcrest.Matcher<String> namesBothSides(long release) {
        return allOf(
                containsString("release " + release + " deploys nothing"),
                containsString("\"empty-dev\""),
                containsString("its components (archive)"),
                containsString("environment's components (app)"));
    }

    @Test
    void aDeployRequestOfAReleaseWithOnlyAnUnknownComponentIsAConflictNamingBothSetsOfComponents() {
        long release = unknownComponentRelease();
        Api.asAdmin()
                .body(Map.of("release", release))
                .post("/api/environments/empty-dev/deployments")
                .then()
                .statusCode(409)
                .body("detail", namesBothSides(release));
        Api.asAdmin()
                .get("/api/environments/empty-dev/plan?release=" + release)
                .then()
                .statusCode(409)
                .body("detail", namesBothSides(release));
    }

    @Test
    void theDeployFormRefusesItToo() {
        long release = unknownComponentRelease();
        String session = Api.loginCookie("dev-eve", Api.USER_PASSWORD);
        String answer = Api.formPost(session)
                .formParam("release", release)
                .post("/environments/empty-dev/deploy")
                .then()
                .statusCode(409)
                .extract()
                .asString();
        assertThat(answer).contains("release " + release + " deploys nothing").contains("(archive)");
    }

    @Test
    void thePlanPageShowsTheBlockerWithoutADeployButton() {
        long release = unknownComponentRelease();
        String page = Api.page(Api.loginCookie("dev-eve", Api.USER_PASSWORD))
                .get("/environments/empty-dev/plan?release=" + release)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("class=\"error blocker plan-blocker\"")
                .contains("release " + release + " deploys nothing")
                .contains("its components (archive)")
                .doesNotContain("plan-deploy-form");
    }

    @Test
    void aPromotionOfAReleaseThatWouldDeployNothingIsRefusedWhenRequested() {
        TestEnvironments.write("empty-staging.yml", """
                name: empty-staging
                kind: shared
                stage: staging
                root: hosts/empty-staging
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: "true"
                    stop: "true"
                """);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long release = Jobs.versionOnlyRelease("3.0");
        assertThat(Jobs.awaitFinished(Jobs.deploy("empty-dev", release), JOB).getString("job.status"))
                .isEqualTo("succeeded");

        Api.as("dev-eve", Api.USER_PASSWORD)
                .body(Map.of("release", release, "environment", "empty-staging"))
                .post("/api/promotions")
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        allOf(
                                containsString("release " + release + " deploys nothing"),
                                containsString("\"empty-staging\""),
                                containsString("its components (app)"),
                                containsString("environment's components (web)")));
    }

    @Test
    void anOrdinaryReleaseStillPlansAndDeploys() {
        long release = Jobs.versionOnlyRelease("2.0");
        Api.asAdmin()
                .get("/api/environments/empty-dev/plan?release=" + release)
                .then()
                .statusCode(200)
                .body("blockers", empty())
                .body("hosts[0].components[0].component", org.hamcrest.Matchers.equalTo("app"));
        assertThat(Jobs.awaitFinished(Jobs.deploy("empty-dev", release), JOB).getString("job.status"))
                .isEqualTo("succeeded");
    }
}
