package org.cnx.conveyor.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobType;

/** Starts jobs through the API and waits for them to finish, as a script would. */
public final class Jobs {

    private Jobs() {}

    /**
     * A deploy job running on another instance, which holds its lease for an hour: this instance's worker leaves it
     * alone, and the test moves it as it needs. One job runs per environment; the test ends it.
     */
    public static long runningHeldBy(String owner, String environment, Long release) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(environment).orElseThrow().id, JobType.DEPLOY, release, "ada", "held");
            job.start(owner, Instant.now().plus(1, ChronoUnit.HOURS));
            job.persist();
            return job.id;
        });
    }

    public static long deploy(String environment, long release) {
        return Api.asAdmin()
                .body(Map.of("release", release))
                .post("/api/environments/" + environment + "/deployments")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Waits for the {@code deferred-migrate} job a deploy queued after job {@code after}, and returns its id. */
    public static long deferredMigrateAfter(String environment, long after, Duration timeout) {
        return Wait.until(
                "the deferred migrations of " + environment + " after job " + after,
                timeout,
                () -> Api.asAdmin()
                        .get("/api/environments/" + environment + "/jobs")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("findAll { it.type == 'deferred-migrate' }.id", Long.class)
                        .stream()
                        .filter(id -> id > after)
                        .findFirst()
                        .orElse(null));
    }

    public static long rollback(String environment) {
        return Api.asAdmin()
                .post("/api/environments/" + environment + "/rollback")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /**
     * Waits until the job finished and returns its detail. Waits on the signal the job page waits on: its log stream,
     * which the server ends with an {@code end} event when the job ends (asking to resume after the last possible
     * line, so no line is sent twice); polls only if the stream cannot be read.
     */
    public static JsonPath awaitFinished(long job, Duration timeout) {
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/api/jobs/" + job + "/log";
        CompletableFuture<List<SseClient.Event>> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return SseClient.read(
                        url, "admin", Api.ADMIN_PASSWORD, Long.toString(Long.MAX_VALUE), Integer.MAX_VALUE);
            } catch (IOException | InterruptedException e) {
                return List.of();
            }
        });
        try {
            stream.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stream.cancel(true);
            throw new AssertionError(
                    "timed out after " + timeout.toSeconds() + " s waiting for job " + job + " to finish");
        } catch (InterruptedException | ExecutionException e) {
            // Fall through to polling below.
        }
        return Wait.until("job " + job + " to finish", timeout, () -> {
            JsonPath detail = Api.asAdmin()
                    .get("/api/jobs/" + job)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String status = detail.getString("job.status");
            return status.equals("queued") || status.equals("running") ? null : detail;
        });
    }

    public static String status(long job) {
        return Api.asAdmin()
                .get("/api/jobs/" + job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("job.status");
    }

    /** Asserts that a job (its JSON as the API returns it, under {@code job}) succeeded; its log says why not. */
    public static void assertSucceeded(JsonPath job) {
        org.assertj.core.api.Assertions.assertThat(job.getString("job.status"))
                .as(() -> rawLog(job.getLong("job.id")))
                .isEqualTo("succeeded");
    }

    public static String rawLog(long job) {
        return Api.asAdmin()
                .accept("text/plain")
                .get("/api/jobs/" + job + "/log.txt")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** A release of the single component {@code app} of {@link TestEnvironments#writeInstant}, with no artifact. */
    public static long versionOnlyRelease(String version) {
        return Api.asAdmin()
                .body(Map.of("components", Map.of("app", Map.of("version", version))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    public static long latestRelease() {
        return Api.asAdmin()
                .get("/api/releases?limit=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("[0].id");
    }
}
