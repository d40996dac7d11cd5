package org.cnx.conveyor.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A firing of a scheduled runbook claimed by many instances at the same moment runs once: the unique row decides. */
@QuarkusTest
class RunbookFiringRaceTest {

    private static final int CLAIMERS = 8;
    private static final Path ROOT =
            Path.of("target", "test-data", "hosts", "race").toAbsolutePath();

    @Inject
    RunbookSchedule schedule;

    @Inject
    EnvironmentService environments;

    @AfterAll
    static void cleanUp() {
        TestEnvironments.delete("race.yml");
    }

    @Test
    void eightClaimersRacingForTheSameFiringStartExactlyOneJob() throws Exception {
        TestEnvironments.write("race.yml", """
                name: race
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    root: %s
                    roles: [app]
                components:
                  app:
                    start: "true"
                    stop: "true"
                runbooks:
                  nightly:
                    roles: [app]
                    command: date >> nightly.log
                    # 1 January, 00:00: the scheduler itself does not fire it during the test.
                    schedule: {cron: "0 0 1 1 *", zone: UTC}
                """.formatted(ROOT));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        RunbookSpec spec = environments.definition("race").runbooks().get("nightly");
        Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        CountDownLatch ready = new CountDownLatch(CLAIMERS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
        List<Future<?>> claims = new ArrayList<>();
        for (int i = 0; i < CLAIMERS; i++) {
            claims.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                schedule.fire("race", spec, firing);
                return null;
            }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        for (Future<?> claim : claims) {
            claim.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(count("SELECT count(*) FROM runbook_firings WHERE environment = 'race' AND runbook = 'nightly'"
                        + " AND job_id IS NOT NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM jobs j JOIN environments e ON e.id = j.environment_id"
                        + " WHERE e.name = 'race' AND j.type = 'runbook'"))
                .as("one job for the firing, whatever the number of claimers")
                .isEqualTo(1);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = MigrationStack.connect(MigrationStack.databaseName());
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
