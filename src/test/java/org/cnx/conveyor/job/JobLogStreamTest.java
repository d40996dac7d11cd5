package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.junit.jupiter.api.Test;

/** The live log over Server-Sent Events, read the way a browser's EventSource reads it. */
@QuarkusTest
class JobLogStreamTest {

    @Inject
    JobLogStore logs;

    @Inject
    JobJournal journal;

    @TestHTTPResource("/")
    URI base;

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

    @Test
    void whileManyStepsMoveTheGridIsSentAFewTimesNotOncePerStepAndTheLastOneIsComplete() throws Exception {
        // Held by another instance: this one's worker leaves it alone.
        long job = Jobs.runningHeldBy("another-instance", "demo", null);
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(base.resolve("/api/jobs/" + job + "/log"))
                                .header("Accept", "text/event-stream")
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(("admin:" + Api.ADMIN_PASSWORD).getBytes()))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        Semaphore gridsRead = new Semaphore(0);
        CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> {
            StringBuilder read = new StringBuilder();
            response.body().forEach(line -> {
                read.append(line).append('\n');
                if (line.equals("event:progress")) {
                    gridsRead.release();
                }
            });
            return read.toString();
        });
        // The steps move while the stream follows the job (its first grid has arrived), each step given the time to
        // be followed by a grid of its own.
        assertThat(gridsRead.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        int steps = 60;
        for (int i = 0; i < steps; i++) {
            long step = journal.begin(job, Phase.PREPARE, "host" + i, "webview", "prepare", null);
            journal.done(job, step, null);
            gridsRead.tryAcquire(20, TimeUnit.MILLISECONDS);
        }
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(job).fail("grid test over"));
        journal.changed(job);

        String events = stream.get(60, TimeUnit.SECONDS);
        List<String> grids = Stream.of(events.split("\n\n"))
                .filter(event -> event.contains("event:progress"))
                .toList();
        // Without a limit, a grid for nearly every step.
        assertThat(grids).hasSizeBetween(2, steps / 3);
        assertThat(grids.get(grids.size() - 1))
                .as("the grid sent before the end has every step")
                .contains("\"host" + (steps - 1) + "\"");
        assertThat(events.indexOf("event:end")).isGreaterThan(events.lastIndexOf("event:progress"));
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
