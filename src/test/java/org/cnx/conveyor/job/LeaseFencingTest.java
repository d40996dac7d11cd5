package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnx.conveyor.job.JobJournal.SHARED_HOLD;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.cnx.conveyor.environment.Environment;
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
        long job = runningJobHeldBy("instance-a", "fenced");
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
        long job = runningJobHeldBy("instance-a", "fenced-shared");
        String jdbc = SHARED_HOLD.replace("?1", "?").replace("?2", "?");
        try (Connection writing = dataSource.getConnection();
                Connection otherHost = dataSource.getConnection();
                Connection takingOver = dataSource.getConnection()) {
            writing.setAutoCommit(false);
            otherHost.setAutoCommit(false);
            takingOver.setAutoCommit(false);
            assertThat(sharedHold(writing, jdbc, job))
                    .as("the writer holds the lease")
                    .isTrue();
            // Another host's step of the same job is not held up by the first one's.
            assertThat(sharedHold(otherHost, jdbc, job)).isTrue();
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
            assertThat(sharedHold(late, jdbc, job))
                    .as("the instance that lost the lease")
                    .isFalse();
        }
    }

    private static boolean sharedHold(Connection connection, String sql, long job) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, job);
            statement.setString(2, "instance-a");
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static long runningJobHeldBy(String owner, String environment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = Job.queue(
                    Environment.findByName(environment).orElseThrow().id, JobType.DEPLOY, release, "ada", "fencing");
            job.start(owner, Instant.now().plus(1, ChronoUnit.HOURS));
            job.persist();
            return job.id;
        });
    }

    private static void takeOver(long job, String owner) {
        QuarkusTransaction.requiringNew().run(() -> Job.update("leaseOwner = ?1 where id = ?2", owner, job));
    }
}
