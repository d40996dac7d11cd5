package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.support.LoadGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout benchmark (benchmarks/rollout-bench.sh), off in the test suite: for each fleet size, under the same load
 * through a real haproxy, the failed requests, p99 latency and wall time of an all-at-once deploy, a rolling deploy and
 * a rolling rollback. Prints lines starting with {@code rollout-bench}.
 */
@EnabledIfSystemProperty(named = "bench.rollout", matches = "true")
class RolloutBenchTest {

    @TempDir
    Path dir;

    @Test
    void measuresAllAtOnceAgainstRollingUnderTheSameLoad() throws Exception {
        String sizes = System.getProperty("bench.hosts", "4,16");
        System.out.println("rollout-bench | hosts | run | wall s | requests | failed | p99 ms");
        for (int hosts :
                Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray()) {
            List<String> webs = new ArrayList<>();
            for (int i = 1; i <= hosts; i++) {
                webs.add("web" + i);
            }
            try (WebviewFleet fleet = new WebviewFleet(dir.resolve("fleet-" + hosts), webs, "")) {
                LocalDeploys deploys = LocalDeploys.withDefaultParallelism("webview");
                EnvironmentDefinition allAtOnce = fleet.define(null);
                EnvironmentDefinition rolling = fleet.define("batchSize: 1\n" + fleet.loadBalancer());
                assertThat(deploys.deploy(rolling, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
                // Release 2 prepared everywhere first, so each measured run is switch + verify only, like a rollback.
                assertThat(deploys.deploy(allAtOnce, 2, 1L).row().status()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(deploys.deploy(allAtOnce, 1, 2L).row().status()).isEqualTo(JobStatus.SUCCEEDED);
                measure(fleet, hosts, "all-at-once deploy", () -> deploys.deploy(allAtOnce, 2, 1L));
                measure(fleet, hosts, "all-at-once rollback", () -> deploys.deploy(allAtOnce, 1, 2L));
                measure(fleet, hosts, "rolling deploy (batch 1)", () -> deploys.deploy(rolling, 2, 1L));
                measure(fleet, hosts, "rolling rollback (batch 1)", () -> deploys.deploy(rolling, 1, 2L));
                EnvironmentDefinition quarter = fleet.define("batchSize: 25%\n" + fleet.loadBalancer());
                measure(fleet, hosts, "rolling deploy (batch 25%)", () -> deploys.deploy(quarter, 2, 1L));
            }
        }
    }

    private static void measure(WebviewFleet fleet, int hosts, String run, Supplier<MemoryJob> deploy) {
        try (LoadGenerator load = LoadGenerator.start(fleet.haproxy.url("/health"), 4)) {
            load.awaitRequests(40);
            int before = load.total();
            int failedBefore = load.failures().size();
            long start = System.nanoTime();
            MemoryJob job = deploy.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(job.row().status()).as(String.join("\n", job.logLines())).isEqualTo(JobStatus.SUCCEEDED);
            load.close();
            System.out.printf(
                    "rollout-bench | %d | %s | %.1f | %d | %d | %.1f%n",
                    hosts,
                    run,
                    seconds,
                    load.total() - before,
                    load.failures().size() - failedBefore,
                    load.p99Millis());
        }
    }
}
