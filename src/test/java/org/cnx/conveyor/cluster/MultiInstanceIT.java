package org.cnx.conveyor.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.cnx.conveyor.support.ConveyorProcess;
import org.cnx.conveyor.support.EchoStack;
import org.cnx.conveyor.support.ExternalPostgres;
import org.cnx.conveyor.support.InstancesHaproxy;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged Conveyors share one external PostgreSQL 15 behind a real haproxy (round-robin): a login made on one
 * instance holds on the others, failed logins count everywhere, periodic tasks run once across them, a job's live
 * log reaches viewers on every instance, and when the instance running a deploy is SIGKILLed mid-switch another one
 * recovers the job while a viewer reconnecting through the balancer misses no line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final String PASSWORD = "multi-instance-password";
    private static final String DB_PASSWORD = "multi-instance-db-password";
    private static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @TempDir
    static Path tmp;

    static ExternalPostgres postgres;
    static final List<ConveyorProcess> instances = new ArrayList<>();
    static InstancesHaproxy haproxy;

    @BeforeAll
    static void startThreeInstancesBehindHaproxy() throws Exception {
        postgres = ExternalPostgres.start(tmp, DB_PASSWORD);
        Path environments = Files.createDirectories(tmp.resolve("environments"));
        String yaml = EchoStack.localDefinition("shared", tmp.resolve("roots"), HOSTS, "");
        Files.writeString(environments.resolve("shared.yml"), yaml);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME",
                "conveyor",
                "QUARKUS_DATASOURCE_PASSWORD",
                DB_PASSWORD,
                "CONVEYOR_MASTER_KEY",
                Base64.getEncoder().encodeToString(key),
                "CONVEYOR_ADMIN_PASSWORD",
                PASSWORD,
                "CONVEYOR_ENVIRONMENTS_DIR",
                environments.toString(),
                "CONVEYOR_DEPLOY_DEMO_RELEASE",
                "false",
                "CONVEYOR_ARTIFACTS_ROOTS",
                tmp + "," + Path.of("target/test-artifacts").toAbsolutePath()));
        // Periodic tasks that fire every second on every instance, so a short window shows whether they run once.
        env.put("CONVEYOR_PREVIEWS_WATCH_EVERY", "1s");
        env.put("CONVEYOR_CLONES_SWEEP_EVERY", "1s");
        env.put("CONVEYOR_GITHUB_STATUS_SEND_EVERY", "1s");
        env.put("CONVEYOR_AUTH_THROTTLE_MAX_FAILURES", "3");
        for (int i = 1; i <= 3; i++) {
            Map<String, String> own = new HashMap<>(env);
            own.put("CONVEYOR_JOBS_INSTANCE_ID", "c" + i);
            // One at a time: the first applies the schema and creates the admin.
            instances.add(new ConveyorProcess(tmp.resolve("data-c" + i), own).start());
        }
        haproxy = InstancesHaproxy.roundRobin(
                tmp, instances.stream().map(ConveyorProcess::baseUrl).toList());
    }

    @AfterAll
    static void stopEverything() {
        HOSTS.forEach(host -> EchoStack.stop(tmp.resolve("roots").resolve(host).resolve("app")));
        if (haproxy != null) {
            haproxy.close();
        }
        instances.forEach(ConveyorProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aLoginOnOneInstanceHoldsOnTheOthersAndFailedLoginsCountOnEveryInstance() {
        String cookie = given().baseUri(instances.get(0).baseUrl())
                .redirects()
                .follow(false)
                .formParam("username", "admin")
                .formParam("password", PASSWORD)
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .header("Set-Cookie");
        String session = cookie.substring(0, cookie.indexOf(';'));
        for (ConveyorProcess other : instances.subList(1, 3)) {
            given().baseUri(other.baseUrl())
                    .redirects()
                    .follow(false)
                    .header("Cookie", session)
                    .get("/")
                    .then()
                    .statusCode(200);
        }
        for (int i = 0; i < 4; i++) {
            given().baseUri(haproxy.baseUrl())
                    .redirects()
                    .follow(false)
                    .header("Cookie", session)
                    .get("/")
                    .then()
                    .statusCode(200);
        }

        // Three failures, each on another instance, lock the name on all of them (the third answers the lock).
        for (ConveyorProcess instance : instances) {
            given().baseUri(instance.baseUrl())
                    .formParam("username", "guessed")
                    .formParam("password", "wrong-password-123")
                    .post("/login")
                    .then()
                    .statusCode(instance == instances.get(2) ? 429 : 401);
        }
        for (ConveyorProcess instance : instances) {
            given().baseUri(instance.baseUrl())
                    .formParam("username", "guessed")
                    .formParam("password", "any-password-456")
                    .post("/login")
                    .then()
                    .statusCode(429);
        }
    }

    @Test
    @Order(2)
    void eachPeriodicTaskRunsOnceAcrossTheThreeInstances() throws Exception {
        List<String> tasks =
                List.of("PreviewWatcher.watchDeploys", "CloneQueries.tearDownIdle", "CommitStatusSender.sendWaiting");
        Map<String, long[]> before = runs(tasks);
        // Until every task ran at least five more times (about five of its one-second periods).
        Map<String, long[]> after = Wait.until("five more runs of every task", Duration.ofMinutes(2), () -> {
            Map<String, long[]> now = runs(tasks);
            return tasks.stream().allMatch(t -> now.get(t)[0] >= before.get(t)[0] + 5) ? now : null;
        });
        for (String task : tasks) {
            long runs = after.get(task)[0] - before.get(task)[0];
            double seconds = (after.get(task)[1] - before.get(task)[1]) / 1000.0;
            // Once per instance would be three per second; once across them is at most one per 0.9 s.
            assertThat((double) runs).as(task).isLessThanOrEqualTo(seconds / 0.9 + 1);
        }
    }

    @Test
    @Order(3)
    void aKilledInstancesDeployIsRecoveredByAnotherAndEveryViewerGetsEveryLine() throws Exception {
        long r1 = release("1.0.0");
        long r2 = release("2.0.0");
        assertThat(awaitStatus(deploy(r1))).isEqualTo("succeeded");

        Path paused = tmp.resolve("roots/h3");
        Files.writeString(paused.resolve("pause-stop"), "8");
        long job = deploy(r2);
        Wait.until("the switch to reach h3", Duration.ofMinutes(2), () -> Files.exists(paused.resolve("stop-reached")));
        String owner = leaseOwner(job);
        ConveyorProcess running = instances.get(Integer.parseInt(owner.substring(1)) - 1);
        List<ConveyorProcess> others =
                instances.stream().filter(c -> c != running).toList();
        // Viewers of the running job: one on each other instance, one through the balancer (which reconnects).
        List<CompletableFuture<List<Long>>> viewers = new ArrayList<>();
        for (ConveyorProcess other : others) {
            viewers.add(CompletableFuture.supplyAsync(() -> follow(other.baseUrl(), job)));
        }
        viewers.add(CompletableFuture.supplyAsync(() -> follow(haproxy.baseUrl(), job)));

        running.kill();
        Files.delete(paused.resolve("pause-stop"));
        long killedAt = System.nanoTime();
        String status = awaitStatus(job);
        System.out.printf(
                "job %d: instance %s killed mid-switch; recovered by another, %s after %.1f s%n",
                job, owner, status, (System.nanoTime() - killedAt) / 1e9);

        assertThat(status).isIn("rolled_back", "succeeded");
        String expected = "releases/" + (status.equals("succeeded") ? r2 : r1);
        for (String host : HOSTS) {
            Path current = tmp.resolve("roots").resolve(host).resolve("app/current");
            assertThat(Files.readSymbolicLink(current).toString()).as(host).isEqualTo(expected);
        }
        long lines = as(haproxy.baseUrl())
                .get("/api/jobs/" + job + "/log/lines?limit=5000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("seq")
                .size();
        List<Long> all = LongStream.rangeClosed(1, lines).boxed().toList();
        for (CompletableFuture<List<Long>> viewer : viewers) {
            assertThat(viewer.get(3, TimeUnit.MINUTES)).isEqualTo(all);
        }
    }

    /** Follows a job's log as a browser does: on a broken stream it reconnects with Last-Event-ID. */
    private static List<Long> follow(String baseUrl, long job) {
        List<Long> seqs = new ArrayList<>();
        String last = null;
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int attempt = 0; attempt < 600; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + job + "/log"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", basic());
            if (last != null) {
                request.header("Last-Event-ID", last);
            }
            try {
                HttpResponse<java.io.InputStream> response =
                        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 200) {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String id = null;
                        String name = "message";
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (line.startsWith("id:")) {
                                id = line.substring(3).trim();
                            } else if (line.startsWith("event:")) {
                                name = line.substring(6).trim();
                            } else if (line.isEmpty()) {
                                if ("end".equals(name)) {
                                    return seqs;
                                }
                                if ("line".equals(name) && id != null) {
                                    seqs.add(Long.parseLong(id));
                                    last = id;
                                }
                                id = null;
                                name = "message";
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // The instance died under the stream: reconnect, as EventSource does.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seqs;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250); // EventSource's reconnection delay
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seqs;
            }
        }
        return seqs;
    }

    private static Map<String, long[]> runs(List<String> tasks) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "conveyor", DB_PASSWORD);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT name, runs, (extract(epoch FROM now()) * 1000)::bigint FROM cluster_tasks")) {
            Map<String, long[]> found = new HashMap<>();
            tasks.forEach(t -> found.put(t, new long[] {0, 0}));
            while (r.next()) {
                found.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
            }
            return found;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String leaseOwner(long job) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "conveyor", DB_PASSWORD);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT lease_owner FROM jobs WHERE id = " + job)) {
            r.next();
            return r.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static RequestSpecification as(String baseUrl) {
        return given().baseUri(baseUrl)
                .header("Authorization", basic())
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static long release(String version) {
        return as(haproxy.baseUrl())
                .body(Map.of(
                        "components",
                        Map.of(
                                "app",
                                Map.of(
                                        "version",
                                        version,
                                        "artifact",
                                        Map.of(
                                                "path",
                                                EchoStack.artifact(version).toString())))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static long deploy(long release) {
        return as(haproxy.baseUrl())
                .body(Map.of("release", release))
                .post("/api/environments/shared/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Waits until the job finished, asking through the balancer (an answer from a dying instance is retried). */
    private static String awaitStatus(long job) {
        return Wait.until("job " + job + " to finish", Duration.ofMinutes(3), () -> {
            Response response = as(haproxy.baseUrl()).get("/api/jobs/" + job);
            if (response.statusCode() != 200) {
                return null;
            }
            String status = response.jsonPath().getString("job.status");
            return status.equals("running") || status.equals("queued") ? null : status;
        });
    }
}
