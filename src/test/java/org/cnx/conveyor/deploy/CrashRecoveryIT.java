package org.cnx.conveyor.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.ConveyorProcess;
import org.cnx.conveyor.support.EchoStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conveyor is SIGKILLed in the middle of a switch; the restarted one leaves no host half-way and no job running. */
class CrashRecoveryIT {

    private static final String PASSWORD = "crash-test-password";
    private static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @TempDir
    Path tmp;

    @AfterEach
    void stopServices() {
        HOSTS.forEach(host -> EchoStack.stop(tmp.resolve("roots").resolve(host).resolve("app")));
    }

    @Test
    void aKilledDeployIsRolledBackFromItsJournalOnRestart() throws Exception {
        Path environments = Files.createDirectories(tmp.resolve("environments"));
        String yaml = EchoStack.localDefinition("crash", tmp.resolve("roots"), HOSTS, "");
        Files.writeString(environments.resolve("crash.yml"), yaml);
        Map<String, String> env = Map.of(
                "CONVEYOR_ADMIN_PASSWORD",
                PASSWORD,
                "CONVEYOR_ENVIRONMENTS_DIR",
                environments.toString(),
                "CONVEYOR_DEPLOY_DEMO_RELEASE",
                "false",
                "CONVEYOR_ARTIFACTS_ROOTS",
                tmp + "," + java.nio.file.Path.of("target/test-artifacts").toAbsolutePath());
        Path data = tmp.resolve("data");

        long r1;
        long r2;
        long job;
        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            r1 = release(conveyor, "1.0.0");
            r2 = release(conveyor, "2.0.0");
            long first = deploy(conveyor, r1);
            awaitStatus(conveyor, first, "succeeded");

            Path paused = tmp.resolve("roots/h3");
            Files.writeString(paused.resolve("pause-stop"), "8");
            job = deploy(conveyor, r2);
            Wait.until(
                    "the switch to reach h3",
                    Duration.ofMinutes(2),
                    () -> Files.exists(paused.resolve("stop-reached")));
            conveyor.kill();
            Files.delete(paused.resolve("pause-stop"));
        }

        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            String status = awaitStatus(conveyor, job, null);
            assertThat(status).isIn("rolled_back", "succeeded");
            String expected = "releases/" + (status.equals("succeeded") ? r2 : r1);
            for (String host : HOSTS) {
                Path current = tmp.resolve("roots").resolve(host).resolve("app/current");
                assertThat(Files.readSymbolicLink(current).toString()).as(host).isEqualTo(expected);
            }
            as(conveyor)
                    .get("/api/environments/crash")
                    .then()
                    .statusCode(200)
                    .body("summary.currentRelease", org.hamcrest.Matchers.equalTo((int)
                            (status.equals("succeeded") ? r2 : r1)));
            String log = as(conveyor)
                    .accept("text/plain")
                    .get("/api/jobs/" + job + "/log.txt")
                    .then()
                    .extract()
                    .asString();
            assertThat(log).contains("recovering: the Conveyor running this job stopped");
        }
    }

    @Test
    void aRolloutKilledInItsLastBatchIsRolledBackBatchByBatchFromItsJournalOnRestart() throws Exception {
        Path environments = Files.createDirectories(tmp.resolve("environments"));
        Path lbLog = tmp.resolve("lb.log");
        String yaml = EchoStack.localDefinition("rollcrash", tmp.resolve("roots"), HOSTS, """
                rollout:
                  batchSize: 1
                  loadBalancer:
                    drain: echo "$CONVEYOR_HOST $CONVEYOR_LB_SERVER $CONVEYOR_LB_STATE" >> %s
                    enable: echo "$CONVEYOR_HOST $CONVEYOR_LB_SERVER $CONVEYOR_LB_STATE" >> %s
                    servers:
                      h1: {app: site/h1}
                      h2: {app: site/h2}
                      h3: {app: site/h3}
                """.formatted(lbLog, lbLog));
        Files.writeString(environments.resolve("rollcrash.yml"), yaml);
        Map<String, String> env = Map.of(
                "CONVEYOR_ADMIN_PASSWORD",
                PASSWORD,
                "CONVEYOR_ENVIRONMENTS_DIR",
                environments.toString(),
                "CONVEYOR_DEPLOY_DEMO_RELEASE",
                "false",
                "CONVEYOR_ARTIFACTS_ROOTS",
                tmp + "," + java.nio.file.Path.of("target/test-artifacts").toAbsolutePath());
        Path data = tmp.resolve("data");

        long r1;
        long job;
        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            r1 = release(conveyor, "1.0.0");
            long r2 = release(conveyor, "2.0.0");
            awaitStatus(conveyor, deploy(conveyor, "rollcrash", r1), "succeeded");

            Path paused = tmp.resolve("roots/h3");
            Files.writeString(paused.resolve("pause-stop"), "8");
            job = deploy(conveyor, "rollcrash", r2);
            Wait.until(
                    "the rollout to reach its last batch",
                    Duration.ofMinutes(2),
                    () -> Files.exists(paused.resolve("stop-reached")));
            conveyor.kill();
            Files.delete(paused.resolve("pause-stop"));
        }

        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            assertThat(awaitStatus(conveyor, job, null)).isEqualTo("rolled_back");
            for (String host : HOSTS) {
                Path current = tmp.resolve("roots").resolve(host).resolve("app/current");
                assertThat(Files.readSymbolicLink(current).toString()).as(host).isEqualTo("releases/" + r1);
            }
            List<String> lb = Files.readAllLines(lbLog);
            for (String host : HOSTS) {
                assertThat(lb.stream()
                                .filter(line -> line.startsWith(host + " "))
                                .reduce((a, b) -> b))
                        .as("the last load-balancer state of " + host)
                        .hasValue(host + " " + host + " ready");
            }
            String log = as(conveyor)
                    .accept("text/plain")
                    .get("/api/jobs/" + job + "/log.txt")
                    .then()
                    .extract()
                    .asString();
            assertThat(log).contains("recovering: the Conveyor running this job stopped");
        }
    }

    @Test
    void aDeployKilledDuringItsMigrationsIsRolledBackWithItsMigrationsUndoneOnRestart() throws Exception {
        Path environments = Files.createDirectories(tmp.resolve("environments"));
        Files.writeString(environments.resolve("crashdb.yml"), """
                name: crashdb
                kind: shared
                stage: dev
                hosts:
                  - name: h1
                    transport: local
                    roles: [app, db]
                    root: %s
                database:
                  embedded: crash_db
                components:
                  app:
                    install: ./install.sh
                    start: ./start.sh
                    stop: ./stop.sh
                    health:
                      command: ./health.sh
                  db:
                    migrations: migrations
                    start: ./start.sh
                    stop: ./stop.sh
                """.formatted(
                        tmp.resolve("roots").resolve("h1")));
        Map<String, String> env = Map.of(
                "CONVEYOR_ADMIN_PASSWORD",
                PASSWORD,
                "CONVEYOR_ENVIRONMENTS_DIR",
                environments.toString(),
                "CONVEYOR_DEPLOY_DEMO_RELEASE",
                "false",
                "CONVEYOR_ARTIFACTS_ROOTS",
                tmp + "," + java.nio.file.Path.of("target/test-artifacts").toAbsolutePath());
        Path data = tmp.resolve("data");
        Map<String, String> v1 =
                Map.of("V1__books.sql", "CREATE TABLE books (id int);", "U1__books.sql", "DROP TABLE books;");
        Map<String, String> v3 = new java.util.TreeMap<>(v1);
        v3.putAll(Map.of(
                "V2__shelves.sql",
                "CREATE TABLE shelves (id int);",
                "U2__shelves.sql",
                "DROP TABLE shelves;",
                "V3__slow.sql",
                "CREATE TABLE slow (id int); SELECT pg_sleep(60);",
                "U3__slow.sql",
                "DROP TABLE slow;"));

        long job;
        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            long r1 = releaseWithDb(conveyor, "1.0.0", v1);
            long r2 = releaseWithDb(conveyor, "2.0.0", v3);
            awaitStatus(conveyor, deploy(conveyor, "crashdb", r1), "succeeded");
            job = deploy(conveyor, "crashdb", r2);
            Wait.until(
                    "migration V3 to be running",
                    Duration.ofMinutes(2),
                    () -> as(conveyor)
                                    .accept("text/plain")
                                    .get("/api/jobs/" + job + "/log.txt")
                                    .then()
                                    .extract()
                                    .asString()
                                    .contains("apply V3 slow")
                            ? true
                            : null);
            conveyor.kill();
        }

        try (ConveyorProcess conveyor = new ConveyorProcess(data, env).start()) {
            assertThat(awaitStatus(conveyor, job, null)).isEqualTo("rolled_back");
            as(conveyor)
                    .get("/api/environments/crashdb/migrations")
                    .then()
                    .statusCode(200)
                    .body("migrations.findAll { it.state == 'applied' }.version", org.hamcrest.Matchers.contains("1"))
                    .body("recent.find { it.action == 'undone' }.version", org.hamcrest.Matchers.equalTo("2"));
            // The live schema is exactly what the one applied migration builds: nothing of V2 or V3 is left.
            as(conveyor)
                    .post("/api/environments/crashdb/drift")
                    .then()
                    .statusCode(200)
                    .body("clean", org.hamcrest.Matchers.equalTo(true))
                    .body("replayed", org.hamcrest.Matchers.equalTo(1));
        }
    }

    /** A release of the echo stack plus a db component whose artifact holds these migrations. */
    private long releaseWithDb(ConveyorProcess conveyor, String version, Map<String, String> migrations)
            throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("db-" + version).resolve("migrations"));
        for (Map.Entry<String, String> file : migrations.entrySet()) {
            Files.writeString(staging.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(staging.resolveSibling("start.sh"), "#!/bin/sh\necho db\n");
        Files.writeString(staging.resolveSibling("stop.sh"), "#!/bin/sh\necho db\n");
        assertThat(staging.resolveSibling("start.sh").toFile().setExecutable(true))
                .isTrue();
        assertThat(staging.resolveSibling("stop.sh").toFile().setExecutable(true))
                .isTrue();
        Path artifact = tmp.resolve("db-" + version + ".tar.gz");
        Process tar = new ProcessBuilder(
                        "tar",
                        "-czf",
                        artifact.toString(),
                        "-C",
                        staging.getParent().toString(),
                        ".")
                .start();
        assertThat(tar.waitFor()).isZero();
        return as(conveyor)
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
                                                        EchoStack.artifact(version)
                                                                .toString())),
                                "db", Map.of("version", version, "artifact", Map.of("path", artifact.toString())))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static long deploy(ConveyorProcess conveyor, String environment, long release) {
        return as(conveyor)
                .body(Map.of("release", release))
                .post("/api/environments/" + environment + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static RequestSpecification as(ConveyorProcess conveyor) {
        return given().baseUri(conveyor.baseUrl())
                .auth()
                .preemptive()
                .basic("admin", PASSWORD)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static long release(ConveyorProcess conveyor, String version) {
        return as(conveyor)
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

    private static long deploy(ConveyorProcess conveyor, long release) {
        return as(conveyor)
                .body(Map.of("release", release))
                .post("/api/environments/crash/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Waits until the job is finished (or has the given status) and returns its status. */
    private static String awaitStatus(ConveyorProcess conveyor, long job, String wanted) {
        return Wait.until("job " + job + " to finish", Duration.ofMinutes(3), () -> {
            String status = as(conveyor)
                    .get("/api/jobs/" + job)
                    .then()
                    .extract()
                    .jsonPath()
                    .getString("job.status");
            boolean done =
                    wanted == null ? !status.equals("running") && !status.equals("queued") : status.equals(wanted);
            return done ? status : null;
        });
    }
}
