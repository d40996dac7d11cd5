package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobType.Permit;
import org.cnx.conveyor.job.JobType.Release;
import org.cnx.conveyor.job.JobViews.HistoryRow;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.JobViews.ReleaseDeployment;
import org.cnx.conveyor.release.ReleaseService;

/** Queues jobs as their {@link JobType} says (under a lock on their environment), cancels them, answers what they did. */
@ApplicationScoped
public class JobService {

    /** The longest a client may wait for a job's end in one request. */
    static final int MAX_WAIT_SECONDS = 300;

    /**
     * How often a client waiting for a job's end reads it again without a signal: a safety net (a signal lost with a
     * broken LISTEN connection), not how it learns of the end.
     */
    private static final long RECHECK_MILLIS = 5_000;

    private final EnvironmentService environments;
    private final LiveReleases liveReleases;
    private final ReleaseService releases;
    private final JobWorker worker;
    private final Instance<DeployCheck> checks;
    private final AuditLog audit;
    private final JobSignals signals;

    JobService(
            EnvironmentService environments,
            LiveReleases liveReleases,
            ReleaseService releases,
            JobWorker worker,
            Instance<DeployCheck> checks,
            AuditLog audit,
            JobSignals signals) {
        this.audit = audit;
        this.signals = signals;
        this.environments = environments;
        this.liveReleases = liveReleases;
        this.releases = releases;
        this.worker = worker;
        this.checks = checks;
    }

    /**
     * Queues a job after the checks its type names: it runs after the environment's earlier jobs, in submission order.
     * The order of refusals is the same for every type: the environment must exist, the caller must be permitted,
     * the environment must be able to take the job, it must have the release the job needs, and that release must
     * pass every {@link DeployCheck}.
     */
    public JobSummary submit(JobOrder order) {
        JobType type = order.type();
        if (type.release() == Release.GIVEN && order.releaseId() == null) {
            throw new Invalid("release: expected the id of the release to deploy");
        }
        // Conveyor queues some jobs from a worker thread (deferred migrations), with neither a transaction nor a
        // request.
        Environment env = QuarkusTransaction.joiningExisting().call(() -> environments.byName(order.environment()));
        if (type.permit() != Permit.NONE) {
            permit(order.environment(), type, order.direct());
        }
        String refusal = type.refusal(env);
        if (refusal != null) {
            throw new Conflict(refusal);
        }
        LiveRelease live = type.release() == Release.PREVIOUS
                ? QuarkusTransaction.requiringNew()
                        .call(() -> liveReleases.of(environments.locked(order.environment()).id))
                : QuarkusTransaction.joiningExisting().call(() -> liveReleases.of(env.id));
        Long releaseId = release(order, live);
        if (type.permit() == Permit.CHECKED) {
            checkRelease(new DeployRequest(
                    order.environment(),
                    type,
                    releaseId,
                    order.allowIrreversible(),
                    order.promotionId(),
                    order.freezeOverride()));
        }
        boolean emergency = type.emergencyWhenProtected()
                && environments.definition(order.environment()).isProtected();
        String reason = order.reason() != null ? order.reason() : type.reason(env, live, emergency);
        JobSummary job = type.joinsCallerTransaction()
                ? QuarkusTransaction.joiningExisting().call(() -> queue(order, releaseId, reason, emergency))
                : QuarkusTransaction.requiringNew().call(() -> queue(order, releaseId, reason, emergency));
        worker.wake();
        return job;
    }

    private static Long release(JobOrder order, LiveRelease live) {
        return switch (order.type().release()) {
            case GIVEN -> order.releaseId();
            case NONE -> null;
            case LIVE_IF_ANY -> live.release();
            case LIVE -> {
                if (!live.running()) {
                    throw new Conflict(
                            "environment \"" + order.environment() + "\" runs no release yet: deploy one first");
                }
                yield live.release();
            }
            case PREVIOUS -> {
                if (!live.canRollBack()) {
                    throw new Conflict(
                            "environment \"" + order.environment() + "\" has no previous release to roll back to");
                }
                yield live.rollbackTarget();
            }
        };
    }

    /**
     * Runs every {@link DeployCheck} on a request without queueing anything; a promotion checks its deploy when it is
     * requested, long before its approvals start it.
     */
    public void check(DeployRequest request) {
        environments.byName(request.environment());
        permit(request.environment(), request.type(), request.direct());
        checkRelease(request);
    }

    private void checkRelease(DeployRequest request) {
        releases.get(request.releaseId());
        checks.forEach(check -> check.check(request));
    }

    private JobSummary queue(JobOrder order, Long releaseId, String reason, boolean emergency) {
        long envId = environments.lockForJob(order.environment());
        Job queued = Job.queue(envId, order.type(), releaseId, order.by(), reason);
        queued.allowIrreversible = order.allowIrreversible();
        queued.promotionId = order.promotionId();
        queued.persist();
        JobSummary summary = JobSummary.of(queued, order.environment());
        String action = order.type().auditAction(emergency);
        if (action != null) {
            audit.record(
                    order.by(),
                    action,
                    Subjects.environment(order.environment()),
                    "job #" + summary.id() + ", release " + releaseId + (reason == null ? "" : " (" + reason + ")"));
        }
        return summary;
    }

    /**
     * Cancels a job if the caller may start that kind of job there and, on a protected environment, is a lead: a
     * developer cannot stop a deploy the leads approved. Every cancel is audited.
     */
    @Transactional
    public JobSummary cancel(long id, String by) {
        Job job = find(id);
        String environment = environments.byId(job.environmentId).name;
        checks.forEach(check -> check.permitCancel(environment, job.type(), job.promotionId == null));
        job.cancel();
        signals.statusChangedAfterCommit(id);
        audit.record(
                by,
                "job.cancelled",
                Subjects.environment(environment),
                "job #" + job.id + " (" + job.type().id()
                        + (job.promotionId == null ? "" : ", promotion #" + job.promotionId) + ")");
        return JobSummary.of(job, environment);
    }

    /** The one permission check before a job is queued: every {@link DeployCheck}'s {@code permit}. */
    private void permit(String environment, JobType type, boolean direct) {
        checks.forEach(check -> check.permit(environment, type, direct));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public JobSummary summary(long id) {
        Job job = find(id);
        return JobSummary.of(job, environments.byId(job.environmentId).name);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public JobDetail detail(long id) {
        Job job = find(id);
        return JobDetail.of(JobSummary.of(job, environments.byId(job.environmentId).name), JobStep.forJob(id));
    }

    /**
     * The job once it has finished, or as it is when {@code wait} has passed: what a client waiting for a job's end
     * asks instead of polling. It is woken by the job's status changes, on whichever instance the job runs.
     */
    public JobDetail detailOnceFinished(long id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = signals.statusVersion(id);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            // Each read in its own transaction: a new persistence context, so the status is read afresh.
            if (left <= 0
                    || QuarkusTransaction.requiringNew().call(() -> summary(id)).finished()) {
                return QuarkusTransaction.requiringNew().call(() -> detail(id));
            }
            signals.awaitStatus(id, seen, Math.min(left, RECHECK_MILLIS));
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<JobSummary> recent(String environment, int limit) {
        Environment env = environments.byName(environment);
        return Job.recentFor(env.id, limit).stream()
                .map(j -> JobSummary.of(j, env.name))
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HistoryRow> history(String environment, int limit) {
        Environment env = environments.byName(environment);
        return Deployment.historyOf(env.id, limit).stream()
                .map(d -> HistoryRow.of(d, Job.<Job>findById(d.jobId)))
                .toList();
    }

    /** Every time the release went live anywhere, oldest first: the evidence a promotion rests on. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReleaseDeployment> whereReleaseRan(long releaseId) {
        return Deployment.<Deployment>list("releaseId = ?1 order by id", releaseId).stream()
                .map(d -> {
                    Environment env = environments.byId(d.environmentId);
                    return new ReleaseDeployment(env.name, env.stage, d.jobId, d.kind, d.deployedBy, d.deployedAt);
                })
                .toList();
    }

    /**
     * The release most recently committed in an environment of {@code stage} that comes from its own file (previews
     * and clones are made from templates and do not count) and that {@code accept} takes; empty when there is none.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> lastCommittedIn(String stage, Predicate<Long> accept) {
        for (Deployment d :
                Deployment.<Deployment>find("order by id desc").page(0, 500).list()) {
            Environment env = environments.byId(d.environmentId);
            if (stage.equals(env.stage) && !env.fromTemplate() && accept.test(d.releaseId)) {
                return Optional.of(d.releaseId);
            }
        }
        return Optional.empty();
    }

    /** Each environment's most recent job, by environment name; environments that never had a job are absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, JobSummary> latestByEnvironment() {
        Map<String, JobSummary> latest = new HashMap<>();
        for (Job job : Job.latestPerEnvironment()) {
            String name = environments.byId(job.environmentId).name;
            latest.put(name, JobSummary.of(job, name));
        }
        return latest;
    }

    private static Job find(long id) {
        return Job.findByNumber(id).orElseThrow(() -> new NotFound("no job " + id));
    }
}
