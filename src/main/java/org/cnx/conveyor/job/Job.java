package org.cnx.conveyor.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.IllegalTransition;

/** One unit of work against one environment, claimed by one Conveyor instance under a lease. */
@Entity
@Table(name = "jobs")
public class Job extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(nullable = false)
    String type;

    @Column(nullable = false)
    @Convert(converter = JobStatus.Stored.class)
    private JobStatus status;

    @Column(name = "release_id")
    public Long releaseId;

    /** The release that was live when the job started (what a rollback returns to). */
    @Column(name = "from_release_id")
    public Long fromReleaseId;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    public String reason;

    @Convert(converter = PhaseColumn.class)
    public Phase phase;

    public String error;

    /** The requester confirmed that migrations without an undo script may run. */
    @Column(name = "allow_irreversible", nullable = false)
    public boolean allowIrreversible;

    /** The promotion that started this deploy, if one did. */
    @Column(name = "promotion_id")
    public Long promotionId;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "log_lines", nullable = false)
    public long logLines;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public static Job queue(long environmentId, JobType type, Long releaseId, String requestedBy, String reason) {
        Job job = new Job();
        job.environmentId = environmentId;
        job.type = type.id();
        job.status = JobStatus.QUEUED;
        job.releaseId = releaseId;
        job.requestedBy = requestedBy;
        job.reason = reason;
        return job;
    }

    public static Optional<Job> findByNumber(long id) {
        return findByIdOptional(id);
    }

    public static List<Job> recentFor(long environmentId, int limit) {
        return find("environmentId = ?1 order by id desc", environmentId)
                .page(0, limit)
                .list();
    }

    /** The newest job of every environment that has one. */
    public static List<Job> latestPerEnvironment() {
        return list("id in (select max(j.id) from Job j group by j.environmentId)");
    }

    public JobType type() {
        return JobType.parse(type);
    }

    public JobStatus status() {
        return status;
    }

    public void start(String owner, Instant leaseUntil) {
        require(JobStatus.QUEUED, "start");
        status = JobStatus.RUNNING;
        startedAt = Instant.now();
        leaseOwner = owner;
        leaseExpiresAt = leaseUntil;
    }

    public void succeed() {
        finish(JobStatus.SUCCEEDED, null);
    }

    public void fail(String why) {
        finish(JobStatus.FAILED, why);
    }

    public void rollBack(String why) {
        finish(JobStatus.ROLLED_BACK, why);
    }

    public void markDegraded(String why) {
        finish(JobStatus.DEGRADED, why);
    }

    /** A queued job is cancelled at once; a running one is asked to stop at its next step boundary. */
    public void cancel() {
        IllegalTransition.unlessIn(JobStatus.ACTIVE, status, "job " + id, "be cancelled");
        if (status == JobStatus.QUEUED) {
            status = JobStatus.CANCELLED;
            finishedAt = Instant.now();
        } else {
            cancelRequested = true;
        }
    }

    /** A running job that stopped cleanly on request, before anything live changed. */
    public void stopCancelled(String why) {
        finish(JobStatus.CANCELLED, why);
    }

    private void finish(JobStatus outcome, String why) {
        require(JobStatus.RUNNING, "end " + outcome.id());
        status = outcome;
        error = why;
        finishedAt = Instant.now();
        leaseOwner = null;
        leaseExpiresAt = null;
    }

    private void require(JobStatus expected, String transition) {
        IllegalTransition.unlessIn(EnumSet.of(expected), status, "job " + id, transition);
    }
}
