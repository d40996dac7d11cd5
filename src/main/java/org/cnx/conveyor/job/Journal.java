package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Writes a job's steps to the database before they act and marks them after, each in its own transaction. */
@ApplicationScoped
public class Journal {

    private final JobSignals signals;

    Journal(JobSignals signals) {
        this.signals = signals;
    }

    /** Records that a step is about to act; {@code beforeValue} is what it may replace. */
    public long begin(long jobId, String phase, String host, String component, String action, String beforeValue) {
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

    public void done(long jobId, long stepId, String detail) {
        finish(jobId, stepId, JobStep.State.DONE, detail);
    }

    public void failed(long jobId, long stepId, String detail) {
        finish(jobId, stepId, JobStep.State.FAILED, detail);
    }

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

    public List<JobStep> steps(long jobId) {
        return QuarkusTransaction.joiningExisting().call(() -> JobStep.forJob(jobId));
    }

    /** Sets the job's current phase, for the page and for recovery. */
    public void phase(long jobId, String phase) {
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(jobId).phase = phase);
        signals.bumpSteps(jobId);
    }

    /** Tells followers that the job changed outside the journal (its status). */
    public void changed(long jobId) {
        signals.bumpSteps(jobId);
    }
}
