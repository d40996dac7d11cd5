package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The journal in the database: each step written and marked in its own transaction, followers woken after. A running
 * job writes through {@link #fencedFor its instance's view}: every write first checks, in its own transaction, that
 * the instance still holds the job's lease, so once another instance has taken a job over, the one that lost it can
 * neither journal a step (and so, journaling before acting, cannot act) nor commit nor finish the job.
 */
@ApplicationScoped
class JobJournal implements Journal {

    /** The shared fence's query: the job's row, locked in share mode, if {@code owner} ({@code ?2}) holds it. */
    static final String SHARED_HOLD = "SELECT 1 FROM jobs WHERE id = ?1 AND lease_owner = ?2 FOR SHARE";

    private final JobSignals signals;

    JobJournal(JobSignals signals) {
        this.signals = signals;
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
     * The same fence for a write that changes only the job's steps, with a shared lock on the job's row: a take-over
     * still waits for it (or it fails), but the steps of the job's hosts, written at once from their own threads, no
     * longer wait for one another.
     */
    private static void holdShared(long jobId, String owner) {
        if (owner != null
                && Job.getEntityManager()
                        .createNativeQuery(SHARED_HOLD)
                        .setParameter(1, jobId)
                        .setParameter(2, owner)
                        .getResultList()
                        .isEmpty()) {
            throw new LeaseLost(jobId, owner);
        }
    }

    @Override
    public long begin(long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        return begin(null, jobId, phase, host, component, action, beforeValue);
    }

    private long begin(
            String owner, long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            holdShared(jobId, owner);
            JobStep step = new JobStep();
            step.jobId = jobId;
            step.phase = phase;
            step.host = host;
            step.component = component;
            step.action = action;
            step.state = JobStep.State.STARTED.name();
            step.beforeValue = beforeValue;
            step.persist();
            return step.id;
        });
        signals.bumpSteps(jobId);
        return id;
    }

    @Override
    public void progress(long jobId, long stepId, String detail) {
        progress(null, jobId, stepId, detail);
    }

    private void progress(String owner, long jobId, long stepId, String detail) {
        QuarkusTransaction.requiringNew().run(() -> {
            holdShared(jobId, owner);
            JobStep.<JobStep>findById(stepId).detail = detail;
        });
        signals.bumpSteps(jobId);
    }

    @Override
    public void done(long jobId, long stepId, String detail) {
        finish(null, jobId, stepId, JobStep.State.DONE, detail);
    }

    @Override
    public void failed(long jobId, long stepId, String detail) {
        finish(null, jobId, stepId, JobStep.State.FAILED, detail);
    }

    @Override
    public void skipped(long jobId, long stepId, String detail) {
        finish(null, jobId, stepId, JobStep.State.SKIPPED, detail);
    }

    private void finish(String owner, long jobId, long stepId, JobStep.State state, String detail) {
        QuarkusTransaction.requiringNew().run(() -> {
            holdShared(jobId, owner);
            JobStep step = JobStep.findById(stepId);
            step.state = state.name();
            step.detail = detail;
            step.finishedAt = Instant.now();
        });
        signals.bumpSteps(jobId);
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
        signals.bumpSteps(jobId);
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
            JobJournal.this.progress(owner, jobId, stepId, detail);
        }

        @Override
        public void done(long jobId, long stepId, String detail) {
            finish(owner, jobId, stepId, JobStep.State.DONE, detail);
        }

        @Override
        public void failed(long jobId, long stepId, String detail) {
            finish(owner, jobId, stepId, JobStep.State.FAILED, detail);
        }

        @Override
        public void skipped(long jobId, long stepId, String detail) {
            finish(owner, jobId, stepId, JobStep.State.SKIPPED, detail);
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
