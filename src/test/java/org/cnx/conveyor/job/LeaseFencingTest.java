package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.OptionalLong;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance that lost a job's lease to another (which takes the job over from its journal) can write nothing more
 * for it: no journal step (so, journaling before acting, it acts on no host), no commit, no end of the job.
 */
@QuarkusTest
class LeaseFencingTest {

    @Inject
    JobJournal journal;

    @Inject
    AgroalDataSource dataSource;

    private static long release;

    @BeforeEach
    void anEnvironmentAndARelease() {
        if (release == 0) {
            TestEnvironments.writeInstant("fenced", "dev", 0);
            TestEnvironments.writeInstant("fenced-shared", "dev", 0);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
            release = Jobs.versionOnlyRelease("fenced-1");
        }
    }

    @Test
    void theInstanceHoldingTheLeaseJournalsAndTheOneThatLostItCannot() {
        long job = Jobs.runningHeldBy("instance-a", "fenced", release);
        Journal a = journal.fencedFor("instance-a");
        Journal b = journal.fencedFor("instance-b");

        long step = a.begin(job, Phase.SWITCH, "web1", "webview", "switch", "releases/1");
        assertThat(step).isPositive();
        assertThatThrownBy(() -> b.begin(job, Phase.SWITCH, "web2", "webview", "switch", "releases/1"))
                .isInstanceOf(LeaseLost.class);

        takeOver(job, "instance-b");

        assertThatThrownBy(() -> a.begin(job, Phase.SWITCH, "web2", "webview", "switch", "releases/1"))
                .isInstanceOf(LeaseLost.class)
                .hasMessageContaining("another instance took its lease");
        assertThatThrownBy(() -> a.done(job, step, null)).isInstanceOf(LeaseLost.class);
        assertThatThrownBy(() -> a.phase(job, Phase.ROLLBACK)).isInstanceOf(LeaseLost.class);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> a.committed(job)))
                .isInstanceOf(LeaseLost.class);
        assertThat(journal.steps(job)).singleElement().satisfies(s -> {
            assertThat(s.host).isEqualTo("web1");
            assertThat(s.state()).isEqualTo(JobStep.State.STARTED);
        });

        b.done(job, step, "restored by the new holder");
        assertThat(journal.steps(job).get(0).state()).isEqualTo(JobStep.State.DONE);
    }

    @Test
    void aStepWrittenUnderTheSharedFenceHoldsOffATakeOverButNotTheOtherHostsSteps() throws SQLException {
        long job = Jobs.runningHeldBy("instance-a", "fenced-shared", release);
        long step;
        try (Connection writing = dataSource.getConnection();
                Connection otherHost = dataSource.getConnection();
                Connection takingOver = dataSource.getConnection()) {
            writing.setAutoCommit(false);
            otherHost.setAutoCommit(false);
            takingOver.setAutoCommit(false);
            // The journal's own statement, in a transaction left open: as if the write were still in flight.
            step = insert(writing, job, "web1").orElseThrow(() -> new AssertionError("the writer holds the lease"));
            // Another host's step of the same job is not held up by the first one's.
            assertThat(insert(otherHost, job, "web2")).isPresent();
            otherHost.rollback();
            // A take-over (which updates the row) waits for the step in flight: here it gives up after 300 ms.
            try (Statement statement = takingOver.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '300ms'");
                assertThatThrownBy(() ->
                                statement.executeUpdate("UPDATE jobs SET lease_owner = 'instance-b' WHERE id = " + job))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("lock timeout");
            }
            takingOver.rollback();
            writing.commit();
        }
        takeOver(job, "instance-b");
        try (Connection late = dataSource.getConnection()) {
            assertThat(insert(late, job, "web3"))
                    .as("the instance that lost the lease starts no step")
                    .isEmpty();
            assertThat(JobJournal.markStep(late, "instance-a", job, step, JobStep.State.DONE, null, Instant.now()))
                    .as("nor marks one")
                    .isFalse();
            assertThat(JobJournal.markStep(late, "instance-b", job, step, JobStep.State.DONE, null, Instant.now()))
                    .as("the new holder marks it")
                    .isTrue();
        }
    }

    private static OptionalLong insert(Connection connection, long job, String host) throws SQLException {
        return JobJournal.insertStep(
                connection, "instance-a", job, Phase.SWITCH, host, "webview", "switch", "releases/1", Instant.now());
    }

    private static void takeOver(long job, String owner) {
        QuarkusTransaction.requiringNew().run(() -> Job.update("leaseOwner = ?1 where id = ?2", owner, job));
    }
}
