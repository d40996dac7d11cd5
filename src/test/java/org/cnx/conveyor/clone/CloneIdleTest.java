package org.cnx.conveyor.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A clone nobody uses is announced on its page, then torn down. */
@QuarkusTest
class CloneIdleTest {

    @AfterAll
    static void stopAnyLeftOverStack() {
        SampleStack.stopAll(
                Path.of("target", "test-data", "hosts", "dev-idle-dev").toAbsolutePath());
    }

    @Test
    void anIdleCloneIsWarnedAboutAndThenTornDown() {
        Api.ensureUser("idle-dev", "developer");
        long release = Api.newestConveyorRelease();
        long job = Api.as("idle-dev", Api.USER_PASSWORD)
                .body(Map.of("release", release))
                .post("/api/clones")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("job");
        assertThat(Jobs.awaitFinished(job, Duration.ofSeconds(120)).getString("job.status"))
                .as(() -> Jobs.rawLog(job))
                .isEqualTo("succeeded");
        String cookie = Api.loginCookie("idle-dev", Api.USER_PASSWORD);
        assertThat(Api.page(cookie)
                        .get("/clones")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .doesNotContain("idle-warning");

        idleFor(Duration.ofHours(50));
        assertThat(Api.page(cookie)
                        .get("/clones")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("idle-warning")
                .contains("will be torn down at");

        idleFor(Duration.ofHours(73));
        Wait.until(
                "the idle clone to be torn down",
                Duration.ofSeconds(120),
                () -> Api.asAdmin().get("/api/environments/dev-idle-dev").statusCode() == 404);
    }

    private static void idleFor(Duration idle) {
        QuarkusTransaction.requiringNew()
                .run(() -> Clone.update(
                        "lastActiveAt = ?1 where environment = 'dev-idle-dev' and status = 'active'",
                        Instant.now().minus(idle)));
    }
}
