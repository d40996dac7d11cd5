package org.cnx.conveyor.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EnvironmentSyncTest {

    private static final String GOOD = """
            name: scratch
            kind: shared
            stage: staging
            description: first copy
            hosts:
              - name: local
                transport: local
                roles: [web]
            components:
              web:
                start: ./start.sh
                stop: ./stop.sh
            """;

    @AfterEach
    void restoreShippedFiles() {
        TestEnvironments.reset();
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @Test
    void theDemoEnvironmentIsLoadedAtStartAndExamplesAreNot() {
        List<String> names = Api.asRole("reviewer")
                .get("/api/environments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name");
        assertThat(names).contains("demo").doesNotContain("staging", "production");
        Api.asRole("reviewer")
                .get("/api/environments/demo")
                .then()
                .statusCode(200)
                .body("summary.kind", equalTo("shared"))
                .body("summary.stage", equalTo("dev"))
                .body("definition.components.archive.port", equalTo(18081));
    }

    @Test
    void aBrokenFileKeepsThePreviousGoodCopyAndReportsTheProblem() {
        TestEnvironments.write("scratch.yml", GOOD);
        Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .statusCode(200)
                .body("changed", hasItem("scratch"))
                .body("problems", org.hamcrest.Matchers.empty());

        TestEnvironments.write(
                "scratch.yml",
                GOOD.replace("description: first copy", "description: second copy")
                        .replace("transport: local", "transport: lokal"));
        Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .statusCode(200)
                .body("problems", hasItem(containsString("environments/scratch.yml:7:16: hosts[0].transport:")))
                .body("environments", not(hasItem("scratch")));

        Api.asAdmin()
                .get("/api/environments/scratch")
                .then()
                .statusCode(200)
                .body("summary.description", equalTo("first copy"));
        Api.asAdmin()
                .get("/api/definition-problems")
                .then()
                .statusCode(200)
                .body("", hasItem(containsString("environments/scratch.yml:7:16")));
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .get("/")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("environments/scratch.yml:7:16: hosts[0].transport");
    }

    @Test
    void syncIsForAdminsOnly() {
        Api.asRole("lead").post("/api/environments/sync").then().statusCode(403);
    }

    @Test
    void anUnknownEnvironmentIs404WithAProblemDetail() {
        Api.asAdmin()
                .get("/api/environments/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no environment named \"nope\""));
    }
}
