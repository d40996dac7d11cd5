package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.support.LoadGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four instances of the sample webview behind a real haproxy, deployed with the real engine while a load generator
 * sends requests through haproxy: a rolling deploy and a rolling rollback drop none, and every instance moves from the
 * old release to the new once; the same load during an all-at-once deploy is printed for contrast.
 */
class RollingDeployTest {

    static final List<String> WEBS = WebviewFleet.WEBS;

    @TempDir
    Path dir;

    private WebviewFleet fleet;
    private final LocalDeploys deploys = new LocalDeploys("webview");

    @BeforeEach
    void startHaproxyInFrontOfFourPorts() throws IOException {
        fleet = new WebviewFleet(dir);
    }

    @AfterEach
    void stopEverything() throws Exception {
        fleet.close();
    }

    @Test
    void aRollingDeployAndARollingRollbackFailNoRequestWhileAllAtOnceIsPrintedForContrast() {
        EnvironmentDefinition rolling = fleet.define("batchSize: 1\n" + fleet.loadBalancer());
        assertThat(deploys.deploy(rolling, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);

        Figures deploy = underLoad(() -> deploys.deploy(rolling, 2, 1L), JobStatus.SUCCEEDED);
        assertThat(deploy.failures)
                .as("failed requests during the rolling deploy")
                .isEmpty();
        WEBS.forEach(web -> assertThat(deploy.releases.get(web)).as(web).containsExactly("1", "2"));

        Figures rollback = underLoad(() -> deploys.deploy(rolling, 1, 2L), JobStatus.SUCCEEDED);
        assertThat(rollback.failures)
                .as("failed requests during the rolling rollback")
                .isEmpty();
        WEBS.forEach(web -> assertThat(rollback.releases.get(web)).as(web).containsExactly("2", "1"));

        Figures allAtOnce = underLoad(() -> deploys.deploy(fleet.define(null), 3, 1L), JobStatus.SUCCEEDED);
        System.out.printf(
                "failed requests through haproxy (4 webview instances, 4 clients): rolling deploy %d of %d (p99 %.1f ms),"
                        + " rolling rollback %d of %d (p99 %.1f ms), all-at-once deploy %d of %d (p99 %.1f ms)%n",
                deploy.failures.size(),
                deploy.total,
                deploy.p99,
                rollback.failures.size(),
                rollback.total,
                rollback.p99,
                allAtOnce.failures.size(),
                allAtOnce.total,
                allAtOnce.p99);
    }

    @Test
    void whenBatchThreeOfFourFailsVerifyBatchesOneToThreeGoBackAndFourIsNeverTouched() throws IOException {
        EnvironmentDefinition rolling = fleet.define("batchSize: 1\n" + fleet.loadBalancer());
        assertThat(deploys.deploy(rolling, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        fleet.mark("web3", "fail-2");

        MemoryJob[] job = new MemoryJob[1];
        Figures figures = underLoad(() -> job[0] = deploys.deploy(rolling, 2, 1L), JobStatus.ROLLED_BACK);

        assertThat(job[0].row().error).contains("verify failed on web3").contains("batch 3/4");
        assertThat(figures.failures)
                .as("failed requests during the failed rollout")
                .isEmpty();
        for (String web : WEBS) {
            assertThat(fleet.current(web)).as(web).isEqualTo("releases/1");
        }
        assertThat(job[0].steps())
                .filteredOn(s -> s.phase == Phase.SWITCH && s.action.equals("switch"))
                .extracting(s -> s.host)
                .containsExactly("web1", "web2", "web3");
        assertThat(job[0].steps())
                .filteredOn(s -> s.phase == Phase.ROLLBACK && s.action.equals("restore"))
                .extracting(s -> s.host)
                .as("put back last batch first")
                .containsExactly("web3", "web2", "web1");
        assertThat(figures.releases.get("web4")).containsExactly("1");
        assertThat(figures.releases.get("web1")).containsExactly("1", "2", "1");
        assertThat(figures.releases.get("web2")).containsExactly("1", "2", "1");
        assertThat(figures.releases.get("web3"))
                .as("web3 failed its health check, so haproxy never sent it traffic on release 2")
                .containsExactly("1");
    }

    /** What the load saw while a deploy ran. */
    record Figures(List<String> failures, Map<String, List<String>> releases, int total, double p99) {}

    private Figures underLoad(Supplier<MemoryJob> deploy, JobStatus expected) {
        return underLoad(fleet, "/health", deploy, expected);
    }

    static Figures underLoad(WebviewFleet fleet, String path, Supplier<MemoryJob> deploy, JobStatus expected) {
        try (LoadGenerator load = LoadGenerator.start(fleet.haproxy.url(path), 4)) {
            load.awaitRequests(40);
            MemoryJob job = deploy.get();
            assertThat(job.row().status()).as(String.join("\n", job.logLines())).isEqualTo(expected);
            load.awaitRequests(40);
            load.close();
            return new Figures(load.failures(), load.releasesByServer(), load.total(), load.p99Millis());
        }
    }
}
