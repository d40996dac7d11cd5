package org.cnx.conveyor.githubdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A deploy of a commit of a GitHub repository shows on GitHub as a deployment, its statuses in order. */
@QuarkusTest
@TestProfile(GitHubDeploymentsTest.Reporting.class)
class GitHubDeploymentsTest {

    static final int PORT = freePort();
    private static Recorder github;

    /** GitHub deployments on, sent to this test's stand-in. */
    public static class Reporting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.github-deployments.enabled", "true",
                    "conveyor.github-deployments.track-every", "200ms",
                    "conveyor.github-deployments.send-every", "200ms",
                    "conveyor.github.api-url", "http://127.0.0.1:" + PORT);
        }
    }

    @BeforeAll
    static void startGitHub() {
        github = new Recorder(PORT);
    }

    @AfterAll
    static void stopGitHub() {
        github.close();
    }

    @Test
    void aDeployIsReportedAsADeploymentWhoseStatusesArriveInOrderThroughA502() {
        TestEnvironments.write("gh-dev.yml", """
                name: gh-dev
                kind: shared
                stage: dev
                url: http://gh-dev.example.org/
                root: hosts/gh-dev
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                components:
                  app:
                    start: "true"
                    stop: "true"
                """);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        // A new commit each run: the test database keeps the deployments of earlier runs.
        String sha = String.format("%040x", new java.math.BigInteger(159, new java.util.Random()));
        long release = Api.asAdmin()
                .body(Map.of(
                        "components", Map.of("app", Map.of("version", "1.0")),
                        "source", Map.of("branch", "master", "commit", sha, "repository", "openstax/webview")))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        github.failNext(1); // GitHub is down for the first request: the deployment's creation

        long job = Jobs.deploy("gh-dev", release);
        assertThat(Jobs.awaitFinished(job, Duration.ofMinutes(1)).getString("job.status"))
                .isEqualTo("succeeded");

        // Other tests' deploys of the last day may be reported too: this test looks at its own environment's.
        Recorder.Request created = Wait.until(
                "the deployment of gh-dev",
                Duration.ofSeconds(30),
                () -> github.accepted().stream()
                        .filter(r -> r.path().endsWith("/deployments"))
                        .filter(r -> "gh-dev".equals(r.body().getString("environment")))
                        .findFirst()
                        .orElse(null));
        String statuses = created.path() + "/" + created.createdId() + "/statuses";
        List<Recorder.Request> requests =
                Wait.until("two statuses of the gh-dev deployment", Duration.ofSeconds(30), () -> {
                    List<Recorder.Request> got = github.accepted().stream()
                            .filter(r -> r.path().equals(statuses))
                            .toList();
                    return got.size() >= 2 ? got : null;
                });
        assertThat(github.refused()).isEqualTo(1);
        assertThat(created.path()).isEqualTo("/repos/openstax/webview/deployments");
        assertThat(created.body().getString("ref")).isEqualTo(sha);
        assertThat(created.body().getBoolean("production_environment")).isFalse();
        assertThat(github.accepted().stream()
                        .filter(r -> r.path().endsWith("/deployments"))
                        .filter(r -> "gh-dev".equals(r.body().getString("environment"))))
                .as("one deployment, however many retries")
                .hasSize(1);
        assertThat(requests).extracting(r -> r.body().getString("state")).containsExactly("in_progress", "success");
        assertThat(requests.get(1).body().getString("environment_url")).isEqualTo("http://gh-dev.example.org/");
        assertThat(requests.get(1).body().getString("log_url")).endsWith("/jobs/" + job);
        assertThat(requests).extracting(Recorder.Request::authorization).containsOnly("Bearer test-github-token");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stands in for GitHub's deployments API: records what it accepts, answers 502 when told to. */
    static final class Recorder implements AutoCloseable {

        record Request(String path, String authorization, JsonPath body, long createdId) {}

        private final HttpServer server;
        private final List<Request> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger failNext = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger ids = new AtomicInteger(1000);

        Recorder(int port) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/repos/", this::handle);
            server.setExecutor(Executors.newSingleThreadExecutor());
            server.start();
        }

        List<Request> accepted() {
            return List.copyOf(accepted);
        }

        int refused() {
            return refused.get();
        }

        void failNext(int count) {
            failNext.set(count);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            int status;
            String reply = "{}";
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 502;
                refused.incrementAndGet();
            } else if (!path.contains("/deployments")) {
                status = 201; // commit statuses: not what this test looks at
            } else {
                long id = path.endsWith("/deployments") ? ids.incrementAndGet() : 0;
                accepted.add(new Request(
                        path, exchange.getRequestHeaders().getFirst("Authorization"), JsonPath.from(body), id));
                status = 201;
                if (id > 0) {
                    reply = "{\"id\": " + id + "}";
                }
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
