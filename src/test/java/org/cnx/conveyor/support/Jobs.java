package org.cnx.conveyor.support;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;

/** Starts jobs through the API and waits for them to finish, as a script would. */
public final class Jobs {

    private Jobs() {}

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

    public static long rollback(String environment) {
        return Api.asAdmin()
                .post("/api/environments/" + environment + "/rollback")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Waits until the job finished and returns its detail. */
    public static JsonPath awaitFinished(long job, Duration timeout) {
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
