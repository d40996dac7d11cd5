package org.cnx.conveyor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A runbook shared through environments/runbooks/ runs as the environment's own; its file changes it everywhere. */
@QuarkusTest
class SharedRunbookTest {

    private static final Path ROOT =
            Path.of("target", "test-data", "hosts", "srb").toAbsolutePath();
    private static final Path SHARED = TestEnvironments.DIR.resolve("runbooks/srb-shared.yml");

    @AfterAll
    static void cleanUp() throws IOException {
        TestEnvironments.delete("srb.yml");
        Files.deleteIfExists(SHARED);
    }

    @Test
    void aSharedRunbookRunsInTheEnvironmentThatUsesItAndFollowsItsFileUntilTheFileBreaks() throws Exception {
        shared("v1");
        TestEnvironments.write("srb.yml", """
                name: srb
                kind: shared
                stage: dev
                hosts:
                  - name: h1
                    transport: local
                    root: %s
                    roles: [app]
                components:
                  app:
                    start: "true"
                    stop: "true"
                runbooks:
                  stamp-it: {use: stamp}
                """.formatted(ROOT));
        sync().body("environments", hasItem("srb")).body("changed", hasItem("srb"));
        Api.asRole("developer")
                .get("/api/environments/srb/runbooks")
                .then()
                .statusCode(200)
                .body("[0].name", org.hamcrest.Matchers.equalTo("stamp-it"))
                .body("[0].sharedFrom", org.hamcrest.Matchers.equalTo("environments/runbooks/srb-shared.yml"));
        assertThat(run()).isEqualTo("v1 hello; rm -rf /\n");
        Api.ensureUser("developer-user", "developer");
        assertThat(Api.page(Api.loginCookie("developer-user", Api.USER_PASSWORD))
                        .get("/environments/srb/runbooks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("Shared: environments/runbooks/srb-shared.yml");

        shared("v2");
        sync().body("changed", hasItem("srb"));
        assertThat(run()).isEqualTo("v2 hello; rm -rf /\n");

        Files.writeString(SHARED, "stamp:\n  roles: [app]\n  command: [not, text]\n");
        List<String> problems = sync().extract().jsonPath().getList("problems", String.class);
        assertThat(problems)
                .contains("environments/runbooks/srb-shared.yml:3:12: stamp.command: expected a shell command, found a "
                        + "list")
                .anySatisfy(p -> assertThat(p)
                        .startsWith("environments/srb.yml:14:19: runbooks.stamp-it.use: shared runbook \"stamp\" is "
                                + "declared in environments/runbooks/srb-shared.yml, which has problems"));
        assertThat(run()).as("the good copy is kept").isEqualTo("v2 hello; rm -rf /\n");
    }

    private static void shared(String version) throws IOException {
        Files.createDirectories(SHARED.getParent());
        Files.writeString(SHARED, """
                stamp:
                  description: Write a stamp file
                  roles: [app]
                  command: printf '%s %%s\\n' "$WORD" > stamp.txt
                  parameters:
                    WORD: {type: string}
                """.formatted(version));
    }

    private static io.restassured.response.ValidatableResponse sync() {
        return Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200);
    }

    private static String run() throws IOException {
        long job = Api.asRole("developer")
                .body(Map.of("parameters", Map.of("WORD", "hello; rm -rf /")))
                .post("/api/environments/srb/runbooks/stamp-it/runs")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(1));
        assertThat(detail.getString("job.status")).isEqualTo("succeeded");
        return Files.readString(ROOT.resolve("stamp.txt"));
    }
}
