package org.cnx.conveyor.job;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

/**
 * The journal in the database: each step written and marked in its own transaction (one statement), followers woken
 * after. A running job writes through {@link #fencedFor its instance's view}: every write checks, in the same
 * transaction, that the instance still holds the job's lease, so once another instance has taken a job over, the one
 * that lost it can neither journal a step (and so, journaling before acting, cannot act) nor commit nor finish the job.
 */
@ApplicationScoped
class JobJournal implements Journal {

    /**
     * The shared fence: the job's row, locked in share mode, if the lease owner ({@code ?} after the job's id) holds it.
     * A take-over (which updates the row) waits for the transaction that holds it, or that write fails; the steps of
     * the job's hosts, written at once from their own threads, do not wait for one another.
     */
    private static final String SHARED_HOLD = "SELECT 1 FROM jobs WHERE id = ? AND lease_owner = ? FOR SHARE";

    private static final String FENCE = "EXISTS (" + SHARED_HOLD + ")";

    /** A new step, started: one statement, and with a lease owner only while the owner holds the lease. */
    private static final String INSERT_STEP = "INSERT INTO job_steps"
            + " (job_id, phase, host, component, action, state, before_value, started_at)"
            + " SELECT ?, ?, ?, ?, ?, 'STARTED', ?, ?";

    /** A step's mark: its state and end (each kept when null) and its detail. */
    private static final String MARK_STEP = "UPDATE job_steps SET state = coalesce(?, state), detail = ?,"
            + " finished_at = coalesce(?, finished_at) WHERE id = ? AND job_id = ?";

    private final JobSignals signals;
    private final AgroalDataSource dataSource;

    JobJournal(JobSignals signals, AgroalDataSource dataSource) {
        this.signals = signals;
        this.dataSource = dataSource;
    }

    /** The journal of jobs whose lease {@code owner} holds; a write for a job it lost throws {@link LeaseLost}. */
    Journal fencedFor(String owner) {
        return new Fenced(owner);
    }

    /**
     * Holds the job's row until the transaction ends, if {@code owner} still holds its lease: a take-over (which
     * updates the row) waits for this transaction, or this write fails. For a write that changes the job's row too.
     */
    private static void hold(long jobId, String owner) {
        if (owner != null
                && Job.update("leaseOwner = leaseOwner where id = ?1 and leaseOwner = ?2", jobId, owner) == 0) {
            throw new LeaseLost(jobId, owner);
        }
    }

    /**
     * Inserts a started step on {@code connection}, under the shared fence when {@code owner} is given; its id, or
     * empty when the owner no longer holds the job's lease.
     */
    static OptionalLong insertStep(
            Connection connection,
            String owner,
            long jobId,
            Phase phase,
            String host,
            String component,
            String action,
            String beforeValue,
            Instant at)
            throws SQLException {
        String sql = (owner == null ? INSERT_STEP : INSERT_STEP + " WHERE " + FENCE) + " RETURNING id";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, jobId);
            insert.setString(2, phase.id());
            insert.setString(3, host);
            insert.setString(4, component);
            insert.setString(5, action);
            insert.setString(6, beforeValue);
            insert.setObject(7, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            bindFence(insert, 8, jobId, owner);
            try (ResultSet id = insert.executeQuery()) {
                return id.next() ? OptionalLong.of(id.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Marks a step on {@code connection} (a null state or end keeps the one it has), under the shared fence when
     * {@code owner} is given; false when the step is not the job's or the owner no longer holds the job's lease.
     */
    static boolean markStep(
            Connection connection,
            String owner,
            long jobId,
            long stepId,
            JobStep.State state,
            String detail,
            Instant finishedAt)
            throws SQLException {
        try (PreparedStatement mark =
                connection.prepareStatement(owner == null ? MARK_STEP : MARK_STEP + " AND " + FENCE)) {
            mark.setString(1, state == null ? null : state.name());
            mark.setString(2, detail);
            mark.setObject(3, finishedAt == null ? null : OffsetDateTime.ofInstant(finishedAt, ZoneOffset.UTC));
            mark.setLong(4, stepId);
            mark.setLong(5, jobId);
            bindFence(mark, 6, jobId, owner);
            return mark.executeUpdate() == 1;
        }
    }

    private static void bindFence(PreparedStatement statement, int first, long jobId, String owner)
            throws SQLException {
        if (owner != null) {
            statement.setLong(first, jobId);
            statement.setString(first + 1, owner);
        }
    }

    /**
     * Runs one journal write on its own connection, outside any transaction of the caller: one statement, committed
     * when it returns (so a step is journaled before the caller acts on it).
     */
    private <T> T write(long jobId, JdbcWrite<T> write) {
        T result = QuarkusTransaction.suspendingExisting().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return write.on(connection);
            }
        });
        signals.bumpSteps(jobId);
        return result;
    }

    /** One statement of the journal on a connection. */
    @FunctionalInterface
    private interface JdbcWrite<T> {
        T on(Connection connection) throws SQLException;
    }

    @Override
    public long begin(long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        return begin(null, jobId, phase, host, component, action, beforeValue);
    }

    private long begin(
            String owner, long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        return write(
                        jobId,
                        connection -> insertStep(
                                connection, owner, jobId, phase, host, component, action, beforeValue, Instant.now()))
                .orElseThrow(() -> new LeaseLost(jobId, owner));
    }

    @Override
    public void progress(long jobId, long stepId, String detail) {
        mark(null, jobId, stepId, null, detail);
    }

    @Override
    public void done(long jobId, long stepId, String detail) {
        mark(null, jobId, stepId, JobStep.State.DONE, detail);
    }

    @Override
    public void failed(long jobId, long stepId, String detail) {
        mark(null, jobId, stepId, JobStep.State.FAILED, detail);
    }

    @Override
    public void skipped(long jobId, long stepId, String detail) {
        mark(null, jobId, stepId, JobStep.State.SKIPPED, detail);
    }

    /** Marks a step: finished in {@code state}, or (with no state) only its detail, as a started step's progress. */
    private void mark(String owner, long jobId, long stepId, JobStep.State state, String detail) {
        boolean marked = write(
                jobId,
                connection -> markStep(
                        connection, owner, jobId, stepId, state, detail, state == null ? null : Instant.now()));
        if (!marked) {
            if (owner != null) {
                throw new LeaseLost(jobId, owner);
            }
            throw new IllegalStateException("job " + jobId + " has no step " + stepId);
        }
    }

    @Override
    public List<JobStep> steps(long jobId) {
        return QuarkusTransaction.joiningExisting().call(() -> JobStep.forJob(jobId));
    }

    @Override
    public void phase(long jobId, Phase phase) {
        phase(null, jobId, phase);
    }

    private void phase(String owner, long jobId, Phase phase) {
        QuarkusTransaction.requiringNew().run(() -> {
            hold(jobId, owner);
            Job.<Job>findById(jobId).phase = phase;
        });
        signals.bumpSteps(jobId);
    }

    // Followers are not woken here: before the caller commits they would read the old state; the post-commit phase
    // that follows wakes them.
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void committed(long jobId) {
        committed(null, jobId);
    }

    private void committed(String owner, long jobId) {
        hold(jobId, owner);
        JobStep step = new JobStep();
        step.jobId = jobId;
        step.phase = Phase.COMMIT;
        step.host = "*";
        step.component = "*";
        step.action = "commit";
        step.state = JobStep.State.DONE.name();
        step.finishedAt = Instant.now();
        step.persist();
        Job.<Job>findById(jobId).phase = Phase.POST_COMMIT;
    }

    @Override
    public void changed(long jobId) {
        signals.statusChanged(jobId);
    }

    /** The journal as one instance's running jobs write it: each write checks the lease first. */
    private final class Fenced implements Journal {
        private final String owner;

        Fenced(String owner) {
            this.owner = owner;
        }

        @Override
        public long begin(long jobId, Phase phase, String host, String component, String action, String beforeValue) {
            return JobJournal.this.begin(owner, jobId, phase, host, component, action, beforeValue);
        }

        @Override
        public void progress(long jobId, long stepId, String detail) {
            mark(owner, jobId, stepId, null, detail);
        }

        @Override
        public void done(long jobId, long stepId, String detail) {
            mark(owner, jobId, stepId, JobStep.State.DONE, detail);
        }

        @Override
        public void failed(long jobId, long stepId, String detail) {
            mark(owner, jobId, stepId, JobStep.State.FAILED, detail);
        }

        @Override
        public void skipped(long jobId, long stepId, String detail) {
            mark(owner, jobId, stepId, JobStep.State.SKIPPED, detail);
        }

        @Override
        public List<JobStep> steps(long jobId) {
            return JobJournal.this.steps(jobId);
        }

        @Override
        public void phase(long jobId, Phase phase) {
            JobJournal.this.phase(owner, jobId, phase);
        }

        /** Inside the caller's transaction (the one that makes the release live), as {@link Journal#committed} says. */
        @Override
        public void committed(long jobId) {
            JobJournal.this.committed(owner, jobId);
        }

        @Override
        public void changed(long jobId) {
            JobJournal.this.changed(jobId);
        }
    }
}
