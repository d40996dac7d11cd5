package org.cnx.conveyor.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A deploy of a hostile release into a sandboxed environment: its install.sh, start.sh and health command each try to
 * read the master key, the data dir, a neighbour environment's folder, Conveyor's process, and to signal Conveyor and
 * the neighbour's daemon. Every attempt fails, and the job log says so.
 */
@QuarkusTest
class SandboxedDeployTest {

    private static final Duration JOB = Duration.ofSeconds(120);
    private static final Path DATA = Path.of("target", "test-data").toAbsolutePath();
    private static final Path VICTIM_SHARED = DATA.resolve("hosts/sbx-victim/app/shared");

    @AfterAll
    static void stopTheNeighboursDaemon() throws Exception {
        Path pid = VICTIM_SHARED.resolve("daemon.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        TestEnvironments.delete("sbx-victim.yml");
        TestEnvironments.delete("sbx-hostile.yml");
        // These environments have no teardown job (they are not clones): free their uids as a teardown would.
        try (var entries = Files.list(DATA.resolve("sandbox/uids"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().startsWith(".")
                        && Files.readString(entry).contains("/hosts/sbx-")) {
                    Files.delete(entry);
                }
            }
        }
    }

    @Test
    void aHostileInstallStartAndHealthCommandReachNothingOfConveyorsNorOfANeighbour() throws Exception {
        // Storing a secret makes Conveyor create its master key in the data dir, if it had none yet.
        Api.asAdmin()
                .contentType("application/json")
                .body(Map.of("value", "sandbox-test"))
                .put("/api/secrets/sandbox-test")
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        String masterKey = Files.readString(DATA.resolve("master.key")).trim();
        assertThat(masterKey).isNotBlank();
        TestEnvironments.write("sbx-victim.yml", """
                name: sbx-victim
                kind: shared
                stage: dev
                root: hosts/sbx-victim
                hosts:
                  - name: local
                    transport: sandbox
                    roles: [app]
                components:
                  app:
                    start: echo the-neighbours-secret > "$CONVEYOR_SHARED_DIR/secret.txt"; setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! > "$CONVEYOR_SHARED_DIR/daemon.pid"
                    stop: kill "$(cat "$CONVEYOR_SHARED_DIR/daemon.pid")" || true
                """);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long victimDeploy = Jobs.deploy("sbx-victim", Jobs.versionOnlyRelease("victim-1"));
        assertThat(Jobs.awaitFinished(victimDeploy, JOB).getString("job.status"))
                .isEqualTo("succeeded");
        long victimDaemon = Long.parseLong(
                Files.readString(VICTIM_SHARED.resolve("daemon.pid")).trim());

        TestEnvironments.write("sbx-hostile.yml", """
                name: sbx-hostile
                kind: shared
                stage: dev
                root: hosts/sbx-hostile
                hosts:
                  - name: local
                    transport: sandbox
                    roles: [app]
                components:
                  app:
                    install: sh ./attack.sh install
                    start: sh ./attack.sh start
                    stop: "true"
                    health:
                      command: sh ./attack.sh health
                variables:
                  ATTACK_DATA_DIR: "%s"
                  ATTACK_NEIGHBOUR: "%s"
                  ATTACK_PID: "%d"
                  ATTACK_NEIGHBOUR_PID: "%d"
                """.formatted(
                        DATA, VICTIM_SHARED, ProcessHandle.current().pid(), victimDaemon));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);

        long deploy = Jobs.deploy("sbx-hostile", hostileRelease());
        assertThat(Jobs.awaitFinished(deploy, JOB).getString("job.status")).isEqualTo("succeeded");

        String log = Jobs.rawLog(deploy);
        assertThat(log)
                .doesNotContain(masterKey)
                .doesNotContain("the-neighbours-secret")
                .doesNotContain("SUCCEEDED")
                .doesNotContain("ATTACK install uid: 0")
                .doesNotContain("ATTACK start uid: 0")
                .doesNotContain("ATTACK health uid: 0");
        for (String step : List.of("install", "start", "health")) {
            assertThat(log).contains("ATTACK " + step + " CapEff:\t0000000000000000");
            for (String attempt : List.of(
                    "read-master-key",
                    "list-data-dir",
                    "list-hosts",
                    "read-neighbour",
                    "read-conveyor-environ",
                    "read-conveyor-root",
                    "signal-conveyor",
                    "read-neighbour-environ",
                    "signal-neighbour",
                    "write-system",
                    "gain-root")) {
                assertThat(log).as(step + " " + attempt).contains("ATTACK " + step + " " + attempt + ": blocked");
            }
        }
        assertThat(ProcessHandle.of(victimDaemon).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readString(VICTIM_SHARED.resolve("secret.txt"))).contains("the-neighbours-secret");
    }

    /** A release of component app whose artifact holds the attack script, under the data dir's artifacts folder. */
    private static long hostileRelease() throws Exception {
        Path staging = Files.createDirectories(DATA.resolve("artifacts/hostile"));
        Files.copy(
                Path.of("src/test/resources/stacks/hostile/attack.sh"),
                staging.resolve("attack.sh"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path artifact = DATA.resolve("artifacts/hostile.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", artifact.toString(), "-C", staging.toString(), ".")
                .inheritIO()
                .start();
        assertThat(tar.waitFor()).isZero();
        return Api.asAdmin()
                .body(Map.of(
                        "components",
                        Map.of("app", Map.of("version", "hostile-1", "artifact", Map.of("path", artifact.toString())))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }
}
