package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SseClient;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job queue and the live log, on local environments whose steps are instant. */
@QuarkusTest
class JobQueueAndLogTest {

    private static final String SECRET = "queue-secret-value-9182";
    private static final int LINES = 3000;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void defineEnvironments() {
        Api.asAdmin().body(Map.of("value", SECRET)).put("/api/secrets/queue-secret");
        TestEnvironments.writeInstant("queue", "dev", 0);
        TestEnvironments.write("chatty.yml", """
                name: chatty
                kind: shared
                stage: dev
                root: hosts/chatty
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                components:
                  app:
                    install: i=0; while [ $i -lt %d ]; do echo "line $i uses $TOKEN"; i=$((i+1)); done
                    start: "true"
                    stop: "true"
                variables:
                  TOKEN: ${secret:queue-secret}
                """.formatted(LINES));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @Test
    void twentyConcurrentDeploysRunOneAtATimeInSubmissionOrder() throws Exception {
        long a = Jobs.versionOnlyRelease("1.0");
        long b = Jobs.versionOnlyRelease("2.0");
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<Future<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long release = i % 2 == 0 ? a : b;
            submitted.add(clients.submit(() -> Jobs.deploy("queue", release)));
        }
        List<Long> ids = new ArrayList<>();
        for (Future<Long> future : submitted) {
            ids.add(future.get());
        }
        clients.shutdown();
        ids.sort(Long::compare);
        List<JsonPath> jobs = new ArrayList<>();
        for (long id : ids) {
            jobs.add(Jobs.awaitFinished(id, Duration.ofMinutes(3)));
        }
        Instant previousFinish = Instant.EPOCH;
        for (JsonPath job : jobs) {
            assertThat(job.getString("job.status")).isEqualTo("succeeded");
            Instant started = Instant.parse(job.getString("job.startedAt"));
            assertThat(started)
                    .as("job %s started after the one before it finished", job.getLong("job.id"))
                    .isAfterOrEqualTo(previousFinish);
            previousFinish = Instant.parse(job.getString("job.finishedAt"));
        }
        assertThat(Api.asAdmin()
                        .get("/api/environments/queue/history?limit=100")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("job", Long.class))
                .containsAll(ids);
    }

    @Test
    void aReconnectingViewerGetsEveryLineExactlyOnceAndNoSecret() throws Exception {
        long job = Jobs.deploy("chatty", Jobs.versionOnlyRelease("1.0"));
        String url = base.toString() + "api/jobs/" + job + "/log";

        List<SseClient.Event> first = SseClient.read(url, "admin", Api.ADMIN_PASSWORD, null, 500);
        String lastId = null;
        for (SseClient.Event event : first) {
            if (event.id() != null) {
                lastId = event.id();
            }
        }
        assertThat(lastId)
                .as(first.toString()
                        .substring(0, Math.min(2000, first.toString().length())))
                .isNotNull();
        List<SseClient.Event> rest = SseClient.read(url, "admin", Api.ADMIN_PASSWORD, lastId, Integer.MAX_VALUE);

        List<Long> seqs = new ArrayList<>();
        StringBuilder streamed = new StringBuilder();
        List<SseClient.Event> all = new ArrayList<>(first);
        all.addAll(rest);
        for (SseClient.Event event : all) {
            if (event.name().equals("line")) {
                seqs.add(Long.parseLong(event.id()));
                streamed.append(event.data()).append('\n');
            }
        }
        assertThat(rest.get(rest.size() - 1).name()).isEqualTo("end");
        assertThat(rest.get(rest.size() - 1).data()).contains("\"status\":\"succeeded\"");
        long total = Api.asAdmin()
                .get("/api/jobs/" + job)
                .then()
                .extract()
                .jsonPath()
                .getLong("job.logLines");
        assertThat(seqs).doesNotHaveDuplicates().hasSize((int) total);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        assertThat(streamed.toString())
                .contains("line " + (LINES - 1) + " uses ****")
                .doesNotContain(SECRET);
        assertThat(Jobs.rawLog(job)).contains("line 0 uses ****").doesNotContain(SECRET);
        assertThat(Api.asAdmin()
                        .get("/api/jobs/" + job + "/log/lines?after=0&limit=5000")
                        .then()
                        .extract()
                        .asString())
                .doesNotContain(SECRET);
    }

    @Test
    void theLogPagesBackFromTheTail() {
        long job = Jobs.deploy("chatty", Jobs.versionOnlyRelease("1.1"));
        JsonPath finished = Jobs.awaitFinished(job, Duration.ofMinutes(2));
        assertThat(finished.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
        long total = finished.getLong("job.logLines");
        List<Long> tail = Api.asAdmin()
                .get("/api/jobs/" + job + "/log/lines?before=" + (total + 1) + "&limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("seq", Long.class);
        assertThat(tail).hasSize(100).startsWith(total - 99).endsWith(total);
        List<Long> earlier = Api.asAdmin()
                .get("/api/jobs/" + job + "/log/lines?before=" + tail.get(0) + "&limit=100")
                .then()
                .extract()
                .jsonPath()
                .getList("seq", Long.class);
        assertThat(earlier).endsWith(tail.get(0) - 1).hasSize(100);
    }
}
