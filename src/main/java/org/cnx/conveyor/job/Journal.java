package org.cnx.conveyor.job;

import java.util.List;

/**
 * A job's steps, each written before it acts and marked after, and the job's current phase: what a Conveyor that
 * takes over a job whose runner died reads to finish it.
 */
public interface Journal {

    /** Records that a step is about to act; {@code beforeValue} is what it may replace. */
    long begin(long jobId, Phase phase, String host, String component, String action, String beforeValue);

    /** Records how far a started step got (still started): e.g. that a switch has moved {@code current}. */
    void progress(long jobId, long stepId, String detail);

    void done(long jobId, long stepId, String detail);

    void failed(long jobId, long stepId, String detail);

    void skipped(long jobId, long stepId, String detail);

    List<JobStep> steps(long jobId);

    /** Sets the job's current phase, for the page and for recovery. */
    void phase(long jobId, Phase phase);

    /**
     * Records the commit step, done, and moves the job to {@link Phase#POST_COMMIT}, inside the caller's transaction:
     * the one that makes the release live, so a recovering Conveyor sees the commit step exactly when it happened.
     */
    void committed(long jobId);

    /** Tells followers that the job changed outside the journal (its status). */
    void changed(long jobId);
}
