package org.cnx.conveyor.job;

import java.util.List;
import java.util.function.Consumer;

/** A claimed job as its handler sees it: what to do, where to log, where to journal, whether to stop. */
public interface RunningJob {

    long id();

    JobType type();

    long environmentId();

    String environment();

    Long releaseId();

    Long fromReleaseId();

    String requestedBy();

    /** True when the requester confirmed that migrations without an undo script may run. */
    boolean allowIrreversible();

    JobLog log();

    Journal journal();

    List<JobStep> steps();

    /** True when someone asked the job to stop; checked at step boundaries. */
    boolean cancelRequested();

    /** Applies a final transition (and any other change that must commit with it) in one transaction. */
    void finish(Consumer<Job> transition);

    /** Records the release that was live when the job started. */
    void recordFromRelease(Long release);
}
