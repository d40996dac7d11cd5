package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.Consumer;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.IllegalTransition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every move of a job's lifecycle, without a database: legal ones stamp their times, illegal ones are refused. */
class JobTransitionsTest {

    private static final Instant LEASE = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aNewJobIsQueuedWithNothingStamped() {
        Job job = queued();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.startedAt).isNull();
        assertThat(job.finishedAt).isNull();
    }

    @Test
    void startingAQueuedJobStampsItsStartAndTakesTheLease() {
        Instant before = Instant.now();
        Job job = running();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.startedAt).isBetween(before, Instant.now());
        assertThat(job.leaseOwner).isEqualTo("instance-1");
        assertThat(job.leaseExpiresAt).isEqualTo(LEASE);
        assertThat(job.finishedAt).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "QUEUED", mode = EnumSource.Mode.EXCLUDE)
    void onlyAQueuedJobStarts(JobStatus status) {
        Job job = in(status);
        assertThatThrownBy(() -> job.start("instance-2", LEASE))
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("cannot start")
                .hasMessageContaining("it is " + status.id());
        assertThat(job.status()).isEqualTo(status);
    }

    @Test
    void succeedingEndsARunningJobAndGivesBackItsLease() {
        assertEnds(Job::succeed, JobStatus.SUCCEEDED, null);
    }

    @Test
    void failingEndsARunningJobWithItsReason() {
        assertEnds(job -> job.fail("no host answered"), JobStatus.FAILED, "no host answered");
    }

    @Test
    void rollingBackEndsARunningJobWithItsReason() {
        assertEnds(job -> job.rollBack("health check failed"), JobStatus.ROLLED_BACK, "health check failed");
    }

    @Test
    void markingDegradedEndsARunningJobWithItsReason() {
        assertEnds(job -> job.markDegraded("h2 unreachable"), JobStatus.DEGRADED, "h2 unreachable");
    }

    @Test
    void stoppingOnACancelRequestEndsARunningJobAsCancelled() {
        assertEnds(
                job -> job.stopCancelled("cancelled before anything live changed"),
                JobStatus.CANCELLED,
                "cancelled before anything live changed");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void onlyARunningJobEnds(JobStatus status) {
        for (Ending ending : Ending.values()) {
            Job job = in(status);
            assertThatThrownBy(() -> ending.move.accept(job)).isInstanceOf(IllegalTransition.class);
            assertThat(job.status()).isEqualTo(status);
        }
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        Job job = queued();
        job.cancel();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.finishedAt).isNotNull();
        assertThat(job.cancelRequested).isFalse();
    }

    @Test
    void cancellingARunningJobOnlyAsksItToStop() {
        Job job = running();
        job.cancel();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.cancelRequested).isTrue();
        assertThat(job.finishedAt).isNull();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"QUEUED", "RUNNING"},
            mode = EnumSource.Mode.EXCLUDE)
    void aFinishedJobCannotBeCancelled(JobStatus status) {
        Job job = in(status);
        Instant finished = job.finishedAt;
        assertThatThrownBy(job::cancel)
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("cannot be cancelled");
        assertThat(job.status()).isEqualTo(status);
        assertThat(job.finishedAt).isEqualTo(finished);
    }

    @Test
    void anIllegalTransitionIsAConflict() {
        assertThatThrownBy(() -> in(JobStatus.SUCCEEDED).cancel()).isInstanceOf(DomainException.Conflict.class);
    }

    @Test
    void statusesReadAsTheWordsPagesAndRowsUse() {
        assertThat(JobStatus.ROLLED_BACK).hasToString("rolled_back");
        JobStatus.Stored column = new JobStatus.Stored();
        for (JobStatus status : JobStatus.values()) {
            assertThat(column.convertToDatabaseColumn(status)).isEqualTo(status.id());
            assertThat(column.convertToEntityAttribute(status.id())).isEqualTo(status);
        }
        assertThatThrownBy(() -> column.convertToEntityAttribute("paused"))
                .hasMessageContaining("unknown JobStatus \"paused\"");
    }

    private static void assertEnds(Consumer<Job> ending, JobStatus outcome, String error) {
        Job job = running();
        Instant before = Instant.now();
        ending.accept(job);
        assertThat(job.status()).isEqualTo(outcome);
        assertThat(job.error).isEqualTo(error);
        assertThat(job.finishedAt).isBetween(before, Instant.now());
        assertThat(job.leaseOwner).isNull();
        assertThat(job.leaseExpiresAt).isNull();
    }

    /** The ways a running job ends. */
    private enum Ending {
        SUCCEED(Job::succeed),
        FAIL(job -> job.fail("x")),
        ROLL_BACK(job -> job.rollBack("x")),
        DEGRADE(job -> job.markDegraded("x")),
        STOP(job -> job.stopCancelled("x"));

        final Consumer<Job> move;

        Ending(Consumer<Job> move) {
            this.move = move;
        }
    }

    private static Job queued() {
        Job job = Job.queue(1, JobType.DEPLOY, 2L, "dev-dan", "test");
        job.id = 7L;
        return job;
    }

    private static Job running() {
        Job job = queued();
        job.start("instance-1", LEASE);
        return job;
    }

    /** A job brought to {@code status} through its transitions. */
    static Job in(JobStatus status) {
        return switch (status) {
            case QUEUED -> queued();
            case RUNNING -> running();
            case CANCELLED -> {
                Job job = queued();
                job.cancel();
                yield job;
            }
            case SUCCEEDED -> ended(Ending.SUCCEED);
            case FAILED -> ended(Ending.FAIL);
            case ROLLED_BACK -> ended(Ending.ROLL_BACK);
            case DEGRADED -> ended(Ending.DEGRADE);
        };
    }

    private static Job ended(Ending ending) {
        Job job = running();
        ending.move.accept(job);
        return job;
    }
}
