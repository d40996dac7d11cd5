package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Instant;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A preview nobody deployed to for its whole time-to-live is torn down by the sweeper. */
@QuarkusTest
class PreviewSweeperTest {

    @AfterAll
    static void stopAnyLeftOverStack() {
        SampleStack.stopAll(Path.of("target", "test-data", "hosts", "pr-cnx-43").toAbsolutePath());
    }

    @Test
    void anExpiredPreviewIsTornDown() {
        GitHub.deliver("pull_request", GitHub.pullRequest("opened", 43, "feature/forgotten", GitHub.sha(4301)))
                .then()
                .statusCode(202);
        JsonPath ready = PreviewLifecycleTest.awaitPreview(43, "ready");
        assertThat(Instant.parse(ready.getString("expiresAt")))
                .isAfter(Instant.now().plusSeconds(47 * 3600));

        QuarkusTransaction.requiringNew()
                .run(() -> Preview.update(
                        "expiresAt = ?1 where number = 43 and status = 'ready'",
                        Instant.now().minusSeconds(1)));

        JsonPath gone = PreviewLifecycleTest.awaitPreview(43, "torn-down");
        Api.asAdmin().get("/api/environments/pr-cnx-43").then().statusCode(404);
        JsonPath teardown = Jobs.awaitFinished(gone.getLong("job"), java.time.Duration.ofSeconds(60));
        assertThat(teardown.getString("job.type")).isEqualTo("teardown");
        assertThat(teardown.getString("job.requestedBy")).isEqualTo("conveyor");
        assertThat(teardown.getString("job.reason")).startsWith("preview expired");
    }
}
