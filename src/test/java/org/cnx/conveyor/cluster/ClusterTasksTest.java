package org.cnx.conveyor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.job.JobSignals;
import org.junit.jupiter.api.Test;

/**
 * What lets several instances share one database: a periodic task runs once across them, and a signal sent by
 * another instance (a plain {@code NOTIFY} from another session) wakes this instance's followers.
 */
@QuarkusTest
class ClusterTasksTest {

    @Inject
    ClusterTasks tasks;

    @Inject
    JobSignals jobSignals;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Notifications notifications;

    @Test
    void aTaskThatRanOnOneInstanceIsSkippedEverywhereUntilMostOfItsPeriodHasPassed() {
        String name = "test-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();

        assertThat(tasks.runOnce(name, Duration.ofHours(1), runs::incrementAndGet))
                .isTrue();
        assertThat(tasks.runOnce(name, Duration.ofHours(1), runs::incrementAndGet))
                .isFalse();
        // With no period, only overlapping runs are refused: one after the other both run.
        assertThat(tasks.runOnce(name + "-now", Duration.ZERO, runs::incrementAndGet))
                .isTrue();
        assertThat(tasks.runOnce(name + "-now", Duration.ZERO, runs::incrementAndGet))
                .isTrue();
        assertThat(runs).hasValue(3);
    }

    @Test
    void aRunStillGoingKeepsEveryOtherRunOutWhateverItsPeriod() {
        String name = "test-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Boolean> meanwhile = new CompletableFuture<>();

        boolean first = tasks.runOnce(name, Duration.ZERO, () -> {
            runs.incrementAndGet();
            // Another instance's scheduler fires while this run holds the task (its own connection, its own session).
            meanwhile.complete(tasks.runOnce(name, Duration.ZERO, runs::incrementAndGet));
        });

        assertThat(first).isTrue();
        assertThat(meanwhile.join()).isFalse();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aJobSignalSentByAnotherInstanceWakesTheFollowersOfThatJobHere() throws Exception {
        long job = 900_000 + (System.nanoTime() % 1000);
        long seen = jobSignals.version(job);
        try (Connection other = dataSource.getConnection();
                PreparedStatement notify = other.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, Notifications.JOBS);
            notify.setString(2, "another-instance:l:" + job);
            notify.execute();
        }

        assertThat(jobSignals.await(job, seen, 30_000)).isNotEqualTo(seen);
    }

    @Test
    void aSignalThisInstanceSentItselfIsNotTakenForAnotherInstances() throws Exception {
        long job = 800_000 + (System.nanoTime() % 1000);
        long otherJob = job + 1;
        long seen = jobSignals.version(job);
        String self = notifications.instance();
        try (Connection other = dataSource.getConnection();
                PreparedStatement notify = other.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, Notifications.JOBS);
            notify.setString(2, self + ":l:" + job);
            notify.execute();
            // A second signal, from another instance, after the first: once it arrived the first was handled too.
            notify.setString(2, "another-instance:l:" + otherJob);
            notify.execute();
        }
        assertThat(jobSignals.await(otherJob, 0, 30_000)).isNotZero();
        assertThat(jobSignals.version(job)).isEqualTo(seen);
    }
}
