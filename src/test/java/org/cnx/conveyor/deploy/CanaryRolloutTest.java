package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.support.Prometheus;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary batch analysed against a real Prometheus that scrapes haproxy's exporter while load runs through haproxy: a
 * release that makes the canary answer errors is rolled back with no other host touched; a healthy one continues.
 */
class CanaryRolloutTest {

    private static final String ERRORS_OF_WEB1 =
            "sum(increase(haproxy_server_http_responses_total{proxy=\"webview\",server=\"web1\",code=\"5xx\"}[10s]))";

    @TempDir
    Path dir;

    private WebviewFleet fleet;
    private Prometheus prometheus;
    private final LocalDeploys deploys = new LocalDeploys("webview");

    @BeforeEach
    void startHaproxyAndPrometheus() throws IOException {
        fleet = new WebviewFleet(dir);
        prometheus = Prometheus.start(dir.resolve("prometheus"), "haproxy", fleet.haproxy.metricsTarget());
        Wait.until(
                "Prometheus to scrape haproxy",
                Duration.ofMinutes(1),
                () -> prometheus.hasSeries("haproxy_server_http_responses_total"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        prometheus.close();
        fleet.close();
    }

    @Test
    void aCanaryWhoseErrorRateFailsItsPrometheusConditionIsRolledBackAndNoOtherHostIsTouched() throws IOException {
        EnvironmentDefinition definition = withCanary();
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        fleet.mark("web1", "broken-2");

        MemoryJob[] job = new MemoryJob[1];
        RollingDeployTest.underLoad(
                fleet, "/", () -> job[0] = deploys.deploy(definition, 2, 1L), JobStatus.ROLLED_BACK);

        assertThat(job[0].row().error).contains("canary analysis failed").contains("batch 1/3");
        assertThat(job[0].logLines()).anyMatch(line -> line.contains("canary sample") && line.contains("(FAIL)"));
        assertThat(job[0].steps())
                .filteredOn(s -> s.phase == Phase.SWITCH && s.action.equals("switch"))
                .extracting(s -> s.host)
                .containsExactly("web1");
        for (String web : WebviewFleet.WEBS) {
            assertThat(fleet.current(web)).as(web).isEqualTo("releases/1");
        }
    }

    @Test
    void aCanaryThatPassesItsConditionsLetsTheOtherBatchesFollow() throws IOException {
        EnvironmentDefinition definition = withCanary();
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);

        MemoryJob[] job = new MemoryJob[1];
        RollingDeployTest.Figures figures = RollingDeployTest.underLoad(
                fleet, "/", () -> job[0] = deploys.deploy(definition, 2, 1L), JobStatus.SUCCEEDED);

        assertThat(figures.failures()).isEmpty();
        assertThat(job[0].steps())
                .filteredOn(s -> s.action.equals("analysis"))
                .isNotEmpty()
                .allMatch(s -> s.state() == org.cnx.conveyor.job.JobStep.State.DONE);
        for (String web : WebviewFleet.WEBS) {
            assertThat(fleet.current(web)).as(web).isEqualTo("releases/2");
        }
    }

    private EnvironmentDefinition withCanary() {
        return fleet.define(
                """
                batchSize: 2
                canary:
                  hosts: 1
                  duration: 8s
                  interval: 2s
                  prometheus: %s
                  checks:
                    - http: %s
                    - query: '%s'
                      max: 0
                """.formatted(prometheus.url(), fleet.haproxy.url("/health"), ERRORS_OF_WEB1) + fleet.loadBalancer());
    }
}
