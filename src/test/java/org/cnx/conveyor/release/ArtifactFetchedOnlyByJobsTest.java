package org.cnx.conveyor.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Viewing a plan never sends a request to a developer's URL; the deploy job does, and says little about the answer. */
@QuarkusTest
class ArtifactFetchedOnlyByJobsTest {

    private static final String SHA = "a".repeat(64);
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "not the artifact the release pins".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        TestEnvironments.write("urlplan.yml", """
                name: urlplan
                kind: shared
                stage: dev
                root: hosts/urlplan
                hosts:
                  - name: local
                    transport: local
                    roles: [db]
                components:
                  db:
                    migrations: migrations
                    start: "true"
                    stop: "true"
                """);
        Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .statusCode(200)
                .body("environments", org.hamcrest.Matchers.hasItem("urlplan"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void thePlanSaysMigrationsAreKnownOnlyOnceTheDeployJobFetchesTheArtifact() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/db.tar.gz";
        long release = Api.asRole("developer")
                .body(Map.of(
                        "components",
                        Map.of("db", Map.of("version", "1", "artifact", Map.of("url", url, "sha256", SHA)))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");

        Api.asRole("reviewer")
                .get("/api/environments/urlplan/plan?release=" + release)
                .then()
                .statusCode(200)
                .body("migrations.pending", containsString("determined when the deploy job fetches the artifact"));
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .get("/environments/urlplan/plan?release=" + release)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("determined when the deploy job fetches the artifact");
        assertThat(requests).hasValue(0);

        long job = Jobs.deploy("urlplan", release);
        String error = Jobs.awaitFinished(job, Duration.ofMinutes(1)).getString("job.error");
        assertThat(requests.get()).isPositive();
        String log = error + "\n" + Jobs.rawLog(job);
        assertThat(log).contains("does not match the sha256 the release pins");
        assertThat(log).doesNotContain("not the artifact").doesNotContain("HTTP 200");
    }
}
