package org.cnx.conveyor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

/** Scheduled snapshots: taken by themselves at their cron firing, and each firing queued once across instances. */
@QuarkusTest
class SnapshotScheduleTest {

    private static final Path ROOTS =
            Path.of("target", "test-data", "snapshot-schedule-hosts").toAbsolutePath();

    @Inject
    SnapshotSchedule schedule;

    private static void define(String name, String schedule) {
        TestEnvironments.write(
                name + ".yml", """
                name: %s
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                    root: %s
                components:
                  app:
                    start: "true"
                    stop: "true"
                database:
                  embedded: conveyor_%s
                snapshots:
                  keep: 2
                  scrub: ["SELECT 1"]
                %s""".formatted(name, ROOTS.resolve(name), name.replace('-', '_'), schedule));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @Test
    void aScheduledSnapshotIsTakenByItselfAtItsFiring() throws SQLException {
        // A cron expression that fires once: at the next whole minute (with room for the definition to load).
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(75).truncatedTo(ChronoUnit.MINUTES);
        define(
                "snap-cron",
                "  schedule: {cron: \"%d %d %d %d *\", zone: UTC}\n"
                        .formatted(at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue()));
        long job = Wait.until(
                "the scheduled snapshot's job",
                Duration.ofMinutes(3),
                () -> Api.asAdmin()
                        .get("/api/environments/snap-cron/jobs")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("findAll { it.type == 'snapshot' }.id", Long.class)
                        .stream()
                        .findFirst()
                        .orElse(null));
        JsonPath done = Jobs.awaitFinished(job, Duration.ofMinutes(2));
        assertThat(done.getString("job.status")).as(() -> Jobs.rawLog(job)).isEqualTo("succeeded");
        assertThat(done.getString("job.requestedBy")).isEqualTo("conveyor");
        assertThat(firings("snap-cron")).containsExactly(at.toInstant() + " job " + job);
        Api.asAdmin().get("/api/snapshots?source=snap-cron").then().body("size()", org.hamcrest.Matchers.is(1));
    }

    @Test
    void aFiringClaimedByTwoInstancesAtOnceQueuesOneSnapshot() throws Exception {
        define("snap-claimed", "");
        Instant firing = Instant.parse("2026-01-05T03:00:00Z");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> claims = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                claims.add(two.submit(() -> {
                    start.await();
                    schedule.claim("snap-claimed", firing);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> claim : claims) {
                claim.get();
            }
        } finally {
            two.shutdownNow();
        }
        List<Long> jobs = Api.asAdmin()
                .get("/api/environments/snap-claimed/jobs")
                .then()
                .extract()
                .jsonPath()
                .getList("findAll { it.type == 'snapshot' }.id", Long.class);
        assertThat(jobs).hasSize(1);
        assertThat(firings("snap-claimed")).containsExactly(firing + " job " + jobs.get(0));
    }

    private static List<String> firings(String source) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = MigrationStack.connect(MigrationStack.databaseName());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT fired_at, job_id FROM snapshot_firings WHERE environment = '"
                        + source + "' ORDER BY fired_at")) {
            while (rs.next()) {
                rows.add(rs.getTimestamp(1).toInstant() + " job " + rs.getLong(2));
            }
        }
        return rows;
    }
}
