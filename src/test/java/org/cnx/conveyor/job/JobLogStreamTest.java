package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** The live log over Server-Sent Events, read the way a browser's EventSource reads it. */
@QuarkusTest
class JobLogStreamTest {

    @Inject
    JobLogStore logs;

    @Test
    void aFinishedJobStreamsItsLinesWithIdsThenProgressAndEndAndCloses() {
        long job = finishedJobWithLog(List.of("one", "two", "three"));

        String stream = Api.asAdmin()
                .accept("text/event-stream")
                .get("/api/jobs/" + job + "/log")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(stream)
                .contains("event:progress")
                .contains("id:1")
                .contains("id:3")
                .contains("\"line\":\"three\"")
                .contains("event:end")
                .contains("\"status\":\"cancelled\"");
        assertThat(stream.indexOf("\"line\":\"one\"")).isLessThan(stream.indexOf("\"line\":\"three\""));
        assertThat(stream.indexOf("event:end")).isGreaterThan(stream.indexOf("\"line\":\"three\""));
    }

    @Test
    void aReconnectingClientResumesAfterItsLastEventId() {
        long job = finishedJobWithLog(List.of("one", "two", "three"));

        String stream = Api.asAdmin()
                .accept("text/event-stream")
                .header("Last-Event-ID", "2")
                .get("/api/jobs/" + job + "/log")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(stream)
                .contains("\"line\":\"three\"")
                .doesNotContain("\"line\":\"one\"")
                .doesNotContain("\"line\":\"two\"");
    }

    @Test
    void linesPageBackFromTheTailAndForwardFromASequenceNumber() {
        long job = finishedJobWithLog(List.of("one", "two", "three", "four"));

        Api.asAdmin()
                .get("/api/jobs/" + job + "/log/lines?before=4&limit=2")
                .then()
                .statusCode(200)
                .body("line", org.hamcrest.Matchers.contains("two", "three"));
        Api.asAdmin()
                .get("/api/jobs/" + job + "/log/lines?after=2")
                .then()
                .statusCode(200)
                .body("seq", org.hamcrest.Matchers.contains(3, 4));
    }

    private long finishedJobWithLog(List<String> lines) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName("demo").orElseThrow().id, JobType.DEPLOY, null, "admin", "stream test");
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
