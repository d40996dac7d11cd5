package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.List;
import java.util.function.Consumer;

/** A job this Conveyor claimed, backed by its row in the database. */
final class ClaimedJob implements RunningJob {

    private final long id;
    private final JobType type;
    private final long environmentId;
    private final String environment;
    private final Long releaseId;
    // Set when the job starts (what was live then), so read again after recordFromRelease.
    private volatile Long fromReleaseId;
    private final String requestedBy;
    private final boolean allowIrreversible;
    private final JobLog log;
    private final Journal journal;
    private final Runnable flushLog;
    private final JobEvents events;
    private final String owner;

    ClaimedJob(
            Job job,
            String environment,
            JobLog log,
            Journal journal,
            Runnable flushLog,
            JobEvents events,
            String owner) {
        this.owner = owner;
        this.id = job.id;
        this.type = job.type();
        this.environmentId = job.environmentId;
        this.environment = environment;
        this.releaseId = job.releaseId;
        this.fromReleaseId = job.fromReleaseId;
        this.requestedBy = job.requestedBy;
        this.allowIrreversible = job.allowIrreversible;
        this.log = log;
        this.journal = journal;
        this.flushLog = flushLog;
        this.events = events;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public JobType type() {
        return type;
    }

    @Override
    public long environmentId() {
        return environmentId;
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public Long releaseId() {
        return releaseId;
    }

    @Override
    public Long fromReleaseId() {
        return fromReleaseId;
    }

    @Override
    public String requestedBy() {
        return requestedBy;
    }

    /** True when the requester confirmed that migrations without an undo script may run. */
    @Override
    public boolean allowIrreversible() {
        return allowIrreversible;
    }

    @Override
    public JobLog log() {
        return log;
    }

    @Override
    public Journal journal() {
        return journal;
    }

    @Override
    public List<JobStep> steps() {
        return QuarkusTransaction.requiringNew().call(() -> JobStep.forJob(id));
    }

    /** True when someone asked the job to stop; checked at step boundaries. */
    @Override
    public boolean cancelRequested() {
        return QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(id).cancelRequested);
    }

    /** Applies a final transition (and any other change that must commit with it) in one transaction. */
    @Override
    public void finish(Consumer<Job> transition) {
        // Every line is stored before the job is seen as finished, so a viewer that ends on "finished" misses none.
        flushLog.run();
        QuarkusTransaction.requiringNew().run(() -> {
            // Only while this instance holds the lease: the instance that took the job over finishes it.
            if (Job.update("leaseOwner = leaseOwner where id = ?1 and leaseOwner = ?2", id, owner) == 0) {
                throw new LeaseLost(id, owner);
            }
            Job job = Job.findById(id);
            transition.accept(job);
            // The event commits with the transition: none for a transition that rolls back.
            events.finished(job, environment);
        });
        journal.changed(id);
    }

    /** Records the release that was live when the job started. */
    @Override
    public void recordFromRelease(Long release) {
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(id).fromReleaseId = release);
        fromReleaseId = release;
    }
}
