package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** The journal in the database: each step written and marked in its own transaction, followers woken after. */
@ApplicationScoped
class JobJournal implements Journal {

    private final JobSignals signals;

    JobJournal(JobSignals signals) {
        this.signals = signals;
    }

    @Override
    public long begin(long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
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
        QuarkusTransaction.requiringNew().run(() -> JobStep.<JobStep>findById(stepId).detail = detail);
        signals.bumpSteps(jobId);
    }

    @Override
    public void done(long jobId, long stepId, String detail) {
        finish(jobId, stepId, JobStep.State.DONE, detail);
    }

    @Override
    public void failed(long jobId, long stepId, String detail) {
        finish(jobId, stepId, JobStep.State.FAILED, detail);
    }

    @Override
    public void skipped(long jobId, long stepId, String detail) {
        finish(jobId, stepId, JobStep.State.SKIPPED, detail);
    }

    private void finish(long jobId, long stepId, JobStep.State state, String detail) {
        QuarkusTransaction.requiringNew().run(() -> {
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
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(jobId).phase = phase);
        signals.bumpSteps(jobId);
    }

    // Followers are not woken here: before the caller commits they would read the old state; the post-commit phase
    // that follows wakes them.
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void committed(long jobId) {
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
}
