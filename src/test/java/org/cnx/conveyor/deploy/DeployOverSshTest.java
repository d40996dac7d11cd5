package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Fleet;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestSshHost;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transactional deploy over real SSH. The happy path runs on four hosts (three in-JVM MINA servers, one OpenSSH
 * sshd); the failure cases on the three MINA hosts, which answer faster.
 */
@QuarkusTest
class DeployOverSshTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static Fleet fleet;
    private static long r1;
    private static long r2;

    /** Once per class, but after Quarkus is up (a static @BeforeAll runs before the test port is known). */
    @BeforeEach
    void startHosts() {
        if (fleet == null) {
            fleet = Fleet.start("deploy", 3, 1);
            r1 = Fleet.release("1.0.0");
            r2 = Fleet.release("2.0.0");
        }
    }

    @AfterAll
    static void stopHosts() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    /** A fresh environment over the MINA hosts with release 1 live on every host. */
    private static String environmentOnR1(String env) {
        return environmentOnR1(env, fleet.hosts().subList(0, 3));
    }

    private static String environmentOnR1(String env, List<TestSshHost> hosts) {
        members.put(env, hosts);
        fleet.define(env, hosts);
        long job = Jobs.deploy(env, r1);
        assertThat(Jobs.awaitFinished(job, JOB_TIMEOUT).getString("job.status"))
                .as(Jobs.rawLog(job))
                .isEqualTo("succeeded");
        return env;
    }

    private static final Map<String, List<TestSshHost>> members = new HashMap<>();

    private static void assertEveryHostRuns(String env, long release) {
        for (TestSshHost host : members.get(env)) {
            assertThat(fleet.current(host, env)).as(host.name()).isEqualTo("releases/" + release);
            assertThat(fleet.answeringRelease(host, env)).as(host.name()).isEqualTo(Long.toString(release));
        }
    }

    @Test
    void movesEveryHostToTheNewReleaseAndRecordsTheHistory() {
        String env = environmentOnR1("ssh-happy", fleet.hosts());
        long job = Jobs.deploy(env, r2);
        JsonPath detail = Jobs.awaitFinished(job, JOB_TIMEOUT);
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
        assertEveryHostRuns(env, r2);
        assertThat(detail.getList("hosts")).hasSize(4);
        assertThat(detail.getList("grid.findAll { it.phase == 'switch' }.state"))
                .containsOnly("done");
        Api.asAdmin()
                .get("/api/environments/" + env + "/history")
                .then()
                .statusCode(200)
                .body("[0].release", org.hamcrest.Matchers.equalTo((int) r2))
                .body("[0].previousRelease", org.hamcrest.Matchers.equalTo((int) r1))
                .body("[1].release", org.hamcrest.Matchers.equalTo((int) r1));
        assertThat(Files.isDirectory(fleet.root(fleet.host(0), env).resolve("app/releases/" + r1)))
                .isTrue();
    }

    @Test
    void aFailedInstallOnOneHostLeavesEveryHostOnThePreviousRelease() {
        String env = environmentOnR1("ssh-install-fails");
        fleet.mark(fleet.host(2), env, "fail-install");
        long job = Jobs.deploy(env, r2);
        JsonPath detail = Jobs.awaitFinished(job, JOB_TIMEOUT);
        assertThat(detail.getString("job.status")).isEqualTo("failed");
        assertThat(detail.getString("job.error"))
                .contains("prepare failed on " + fleet.host(2).name())
                .contains("nothing live was changed");
        assertEveryHostRuns(env, r1);
        for (TestSshHost host : members.get(env)) {
            assertThat(fleet.root(host, env).resolve("app/releases/" + r2))
                    .as("prepared folder removed on " + host.name())
                    .doesNotExist();
        }
    }

    @Test
    void aFailedHealthCheckOnOneHostRollsEveryHostBack() {
        String env = environmentOnR1("ssh-health-fails");
        fleet.mark(fleet.host(1), env, "fail-health", Long.toString(r2));
        long job = Jobs.deploy(env, r2);
        JsonPath detail = Jobs.awaitFinished(job, JOB_TIMEOUT);
        fleet.unmark(fleet.host(1), env, "fail-health");
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("rolled_back");
        assertThat(detail.getString("job.error"))
                .contains("verify failed on " + fleet.host(1).name());
        assertEveryHostRuns(env, r1);
        Api.asAdmin()
                .get("/api/environments/" + env)
                .then()
                .body("summary.currentRelease", org.hamcrest.Matchers.equalTo((int) r1));
    }

    @Test
    void aHostLostDuringSwitchLeavesTheEnvironmentDegradedUntilRetryRollbackFixesIt() {
        String env = environmentOnR1("ssh-host-lost");
        TestSshHost lost = fleet.host(2);
        fleet.mark(lost, env, "pause-stop");
        long job = Jobs.deploy(env, r2);
        Wait.until(
                "the switch to reach " + lost.name(),
                JOB_TIMEOUT,
                () -> Files.exists(fleet.root(lost, env).resolve("stop-reached")));
        lost.stop();
        JsonPath detail = Jobs.awaitFinished(job, JOB_TIMEOUT);
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("degraded");
        JsonPath environment =
                Api.asAdmin().get("/api/environments/" + env).then().extract().jsonPath();
        assertThat(environment.getString("summary.health")).isEqualTo("degraded");
        assertThat(environment.getString("summary.healthDetail")).contains(lost.name() + ": NOT restored");
        for (TestSshHost host : members.get(env).subList(0, 2)) {
            assertThat(fleet.current(host, env)).isEqualTo("releases/" + r1);
            assertThat(fleet.answeringRelease(host, env)).isEqualTo(Long.toString(r1));
        }

        fleet.unmark(lost, env, "pause-stop");
        lost.start();
        long retry = Api.asAdmin()
                .post("/api/environments/" + env + "/retry-rollback")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        assertThat(Jobs.awaitFinished(retry, JOB_TIMEOUT).getString("job.status"))
                .as(Jobs.rawLog(retry))
                .isEqualTo("succeeded");
        assertEveryHostRuns(env, r1);
        assertThat(Api.asAdmin()
                        .get("/api/environments/" + env)
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("summary.health"))
                .isEqualTo("ok");
    }

    @Test
    void oneClickRollbackPutsThePreviousReleaseBackFromItsPreparedFiles() {
        String env = environmentOnR1("ssh-rollback");
        assertThat(Jobs.awaitFinished(Jobs.deploy(env, r2), JOB_TIMEOUT).getString("job.status"))
                .isEqualTo("succeeded");
        long rollback = Jobs.rollback(env);
        assertThat(Jobs.awaitFinished(rollback, JOB_TIMEOUT).getString("job.status"))
                .isEqualTo("succeeded");
        assertEveryHostRuns(env, r1);
        // Still prepared on every host, as the journal shows: a switch, without a prepare phase.
        assertThat(Jobs.rawLog(rollback))
                .contains("rollback as a switch")
                .doesNotContain("release " + r1 + " is already prepared here");
        Api.asAdmin()
                .get("/api/environments/" + env + "/history")
                .then()
                .body("[0].kind", org.hamcrest.Matchers.equalTo("rollback"))
                .body("[0].release", org.hamcrest.Matchers.equalTo((int) r1));
    }

    @Test
    void aSecretValueIsMaskedInTheStoredLog() {
        String env = environmentOnR1("ssh-masking");
        long job = Jobs.deploy(env, r2);
        Jobs.awaitFinished(job, JOB_TIMEOUT);
        String log = Jobs.rawLog(job);
        assertThat(log).contains("with key ****").doesNotContain(Fleet.API_KEY_VALUE);
    }

    @Test
    void aQueuedDeployCanBeCancelled() {
        String env = environmentOnR1("ssh-cancel");
        long first = Jobs.deploy(env, r2);
        long second = Jobs.deploy(env, r1);
        Api.asAdmin().post("/api/jobs/" + second + "/cancel").then().statusCode(200);
        assertThat(Jobs.awaitFinished(first, JOB_TIMEOUT).getString("job.status"))
                .isEqualTo("succeeded");
        assertThat(Jobs.status(second)).isEqualTo("cancelled");
        Api.asAdmin().post("/api/jobs/" + second + "/cancel").then().statusCode(409);
        assertEveryHostRuns(env, r2);
    }
}
